#define PCRE2_CODE_UNIT_WIDTH 8
#include "util/regex.hpp"

#include <pcre2.h>

#include <algorithm>
#include <atomic>
#include <bitset>
#include <cctype>
#include <mutex>
#include <unordered_set>

namespace rl {

namespace {
std::atomic<std::uint32_t> g_match_limit{1'000'000};
std::atomic<std::uint32_t> g_depth_limit{10'000};
}  // namespace

// `^literal` [ `(`? class `*`|`+` `)`? ] `$`?: what a compiled PCRE2 pattern of that shape does,
// without compiling it (default options: `.` is any byte but LF, `$` matches at the end or before a
// final LF, no UTF).
struct Regex::Simple {
  std::string literal;
  bool has_tail = false;
  std::bitset<256> tail_class;
  std::size_t tail_min = 0;  // 0 (`*`) or 1 (`+`)
  bool capture = false;
  bool dollar = false;

  static std::optional<Simple> parse(std::string_view p) {
    // PCRE2 refuses a pattern whose code is too large (64K units): long ones go to it for the error.
    constexpr std::size_t kMaxPattern = 4096;
    if (p.empty() || p[0] != '^' || p.size() > kMaxPattern) return std::nullopt;
    Simple s;
    std::size_t i = 1;
    auto is_quantifier = [&](std::size_t k) { return k < p.size() && std::string_view("*+?{").find(p[k]) != std::string_view::npos; };
    while (i < p.size()) {
      unsigned char c = static_cast<unsigned char>(p[i]);
      if (c < 0x20 || c >= 0x7f) return std::nullopt;
      if (c == '\\') {
        if (i + 1 >= p.size()) return std::nullopt;
        unsigned char d = static_cast<unsigned char>(p[i + 1]);
        if (d < 0x21 || d >= 0x7f || std::isalnum(d)) {
          if (d == 'd' || d == 'w') break;  // a class: the tail
          return std::nullopt;
        }
        s.literal += static_cast<char>(d);
        i += 2;
      } else if (std::string_view(".[]()*+?{}|^$").find(static_cast<char>(c)) != std::string_view::npos) {
        break;
      } else {
        s.literal += static_cast<char>(c);
        ++i;
      }
      if (is_quantifier(i)) return std::nullopt;  // the quantifier applies to the last literal character
    }
    std::string_view rest = p.substr(i);
    if (!rest.empty() && rest != "$") {
      if (rest.front() == '(') {
        if (rest.size() < 2 || rest[1] == '?') return std::nullopt;
        s.capture = true;
        rest.remove_prefix(1);
      }
      std::size_t n = class_of(rest, s.tail_class);
      if (!n || n >= rest.size() || (rest[n] != '*' && rest[n] != '+')) return std::nullopt;
      s.has_tail = true;
      s.tail_min = rest[n] == '+' ? 1 : 0;
      rest.remove_prefix(n + 1);
      if (s.capture) {
        if (rest.empty() || rest.front() != ')') return std::nullopt;
        rest.remove_prefix(1);
      }
      if (!rest.empty() && rest != "$") return std::nullopt;
    }
    s.dollar = rest == "$";
    return s;
  }

  // The class at the start of `t` (`.` `\d` `\w` `[0-9]` `[^/]`): its length in the pattern, 0 when none.
  static std::size_t class_of(std::string_view t, std::bitset<256>& set) {
    auto add = [&](unsigned lo, unsigned hi) {
      for (unsigned c = lo; c <= hi; ++c) set.set(c);
    };
    if (t.starts_with(".")) {
      set.set();
      set.reset('\n');
      return 1;
    }
    if (t.starts_with("\\d") || t.starts_with("[0-9]")) {
      add('0', '9');
      return t[0] == '[' ? 5 : 2;
    }
    if (t.starts_with("\\w")) {
      add('0', '9'), add('a', 'z'), add('A', 'Z'), set.set('_');
      return 2;
    }
    if (t.starts_with("[^/]")) {
      set.set();
      set.reset('/');
      return 4;
    }
    return 0;
  }

  // Same answer and groups as PCRE2 on the pattern: anchored, the tail greedy, `$` at the end or
  // before a final LF (the only two places it can hold, so no other backtracking is possible).
  MatchStatus match(std::string_view subject, Captures* caps) const {
    if (!subject.starts_with(literal)) return MatchStatus::no_match;
    std::size_t end = literal.size();
    if (has_tail) {
      while (end < subject.size() && tail_class.test(static_cast<unsigned char>(subject[end]))) ++end;
      if (end - literal.size() < tail_min) return MatchStatus::no_match;
    }
    if (dollar && end != subject.size() && !(end + 1 == subject.size() && subject[end] == '\n'))
      return MatchStatus::no_match;
    if (caps) {
      caps->groups.assign(capture ? 2 : 1, std::nullopt);
      caps->groups[0] = std::string(subject.substr(0, end));
      if (capture) caps->groups[1] = std::string(subject.substr(literal.size(), end - literal.size()));
    }
    return MatchStatus::match;
  }
};

// The subjects on which one pattern hit the match or depth limit, under the limits then in force: the
// same (pattern, subject) pair is answered `limit` at once instead of running into the limit again
// (issue 20: a doomed regex behind each of 10^4 redirects cost minutes, the chain analysis asking it
// the same subject once per redirect). Bounded: past kMaxBytes of subjects nothing more is kept.
class LimitMemo {
 public:
  bool known(std::string_view subject, std::uint32_t match_limit, std::uint32_t depth_limit) const {
    if (!any_.load(std::memory_order_acquire)) return false;  // the common case: no lock
    std::lock_guard lock(mutex_);
    return match_limit == match_limit_ && depth_limit == depth_limit_ && subjects_.count(std::string(subject));
  }
  void add(std::string_view subject, std::uint32_t match_limit, std::uint32_t depth_limit) {
    std::lock_guard lock(mutex_);
    if (match_limit != match_limit_ || depth_limit != depth_limit_) {  // other limits: other answers
      subjects_.clear();
      bytes_ = 0;
      match_limit_ = match_limit, depth_limit_ = depth_limit;
    }
    if (bytes_ + subject.size() > kMaxBytes) return;
    if (subjects_.emplace(subject).second) bytes_ += subject.size() + sizeof(std::string);
    any_.store(true, std::memory_order_release);
  }

 private:
  static constexpr std::size_t kMaxBytes = std::size_t{4} << 20;
  std::atomic<bool> any_{false};
  mutable std::mutex mutex_;
  std::unordered_set<std::string> subjects_;
  std::size_t bytes_ = 0;
  std::uint32_t match_limit_ = 0, depth_limit_ = 0;
};

struct Regex::Code {
  pcre2_code* code = nullptr;
  std::optional<Simple> simple;  // set: code is nullptr
  LimitMemo limit_hits;
  ~Code() { pcre2_code_free(code); }
};

namespace {

// Below these limits a caller wants PCRE2's own accounting (a tiny limit reports `limit` even on a
// simple pattern): the literal test is only used above them. A simple pattern never needs more.
constexpr std::uint32_t kSimpleMinMatchLimit = 100'000;
constexpr std::uint32_t kSimpleMinDepthLimit = 1'000;
constexpr std::size_t kSimpleMaxSubject = 16'384;

// One match context and one match data per thread, reused by every match (creating them per match
// was a malloc/free pair each; the match data also keeps PCRE2's backtracking frames).
struct MatchScratch {
  pcre2_match_context* context = pcre2_match_context_create(nullptr);
  pcre2_match_data* data = nullptr;
  std::uint32_t pairs = 0;
  ~MatchScratch() {
    pcre2_match_data_free(data);
    pcre2_match_context_free(context);
  }
  pcre2_match_data* data_for(std::uint32_t need) {
    if (need > pairs || !data) {
      pcre2_match_data_free(data);
      pairs = std::max<std::uint32_t>(need, 16);
      data = pcre2_match_data_create(pairs, nullptr);
    }
    return data;
  }
};

}  // namespace

std::optional<Regex> Regex::compile(std::string_view pattern, bool ignore_case, RegexError* err) {
  if (!ignore_case)
    if (auto simple = Simple::parse(pattern)) {
      Regex r;
      r.code_ = std::make_shared<Code>();
      r.code_->simple = std::move(simple);
      r.pattern_ = std::string(pattern);
      return r;
    }
  int errcode = 0;
  PCRE2_SIZE erroff = 0;
  uint32_t opts = ignore_case ? PCRE2_CASELESS : 0;
  pcre2_code* c = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), opts, &errcode,
                                &erroff, nullptr);
  if (!c) {
    if (err) {
      PCRE2_UCHAR buf[256];
      pcre2_get_error_message(errcode, buf, sizeof buf);
      err->message = reinterpret_cast<const char*>(buf);
      err->offset = erroff;
    }
    return std::nullopt;
  }
  Regex r;
  r.code_ = std::make_shared<Code>();
  r.code_->code = c;
  r.pattern_ = std::string(pattern);
  return r;
}

MatchStatus Regex::match(std::string_view subject, Captures* caps) const {
  const std::uint32_t match_limit = g_match_limit.load(), depth_limit = g_depth_limit.load();
  if (code_->simple && match_limit >= kSimpleMinMatchLimit && depth_limit >= kSimpleMinDepthLimit &&
      subject.size() <= kSimpleMaxSubject)
    return code_->simple->match(subject, caps);
  if (!code_->code) {
    // A simple pattern under tiny limits or on a huge subject: PCRE2 decides, compiled on demand.
    thread_local std::optional<Regex> last;
    if (!last || last->pattern_ != pattern_) {
      int errcode = 0;
      PCRE2_SIZE erroff = 0;
      pcre2_code* c = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern_.data()), pattern_.size(), 0, &errcode,
                                    &erroff, nullptr);
      if (!c) return MatchStatus::error;
      last = Regex();
      last->code_ = std::make_shared<Code>();
      last->code_->code = c;
      last->pattern_ = pattern_;
    }
    return last->match(subject, caps);
  }
  if (code_->limit_hits.known(subject, match_limit, depth_limit)) return MatchStatus::limit;
  thread_local MatchScratch scratch;
  pcre2_match_context* mctx = scratch.context;
  pcre2_set_match_limit(mctx, match_limit);
  pcre2_set_depth_limit(mctx, depth_limit);
  pcre2_match_data* md = scratch.data_for(capture_count() + 1);
  int rc = pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, md, mctx);
  MatchStatus st;
  if (rc >= 0) {
    st = MatchStatus::match;
    if (caps) {
      uint32_t n = pcre2_get_ovector_count(md);
      PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
      uint32_t groups = capture_count() + 1;
      caps->groups.assign(groups, std::nullopt);
      for (uint32_t i = 0; i < groups && i < n; ++i) {
        if (ov[2 * i] == PCRE2_UNSET) continue;
        caps->groups[i] = std::string(subject.substr(ov[2 * i], ov[2 * i + 1] - ov[2 * i]));
      }
    }
  } else if (rc == PCRE2_ERROR_NOMATCH) {
    st = MatchStatus::no_match;
  } else if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT) {
    st = MatchStatus::limit;
    code_->limit_hits.add(subject, match_limit, depth_limit);
  } else {
    st = MatchStatus::error;
  }
  return st;
}

std::uint32_t Regex::capture_count() const {
  if (code_->simple) return code_->simple->capture ? 1 : 0;
  uint32_t n = 0;
  pcre2_pattern_info(code_->code, PCRE2_INFO_CAPTURECOUNT, &n);
  return n;
}

std::vector<std::pair<std::string, int>> Regex::names() const {
  std::vector<std::pair<std::string, int>> out;
  if (!code_->code) return out;  // a simple pattern has no named group
  uint32_t count = 0, entry = 0;
  PCRE2_SPTR table = nullptr;
  pcre2_pattern_info(code_->code, PCRE2_INFO_NAMECOUNT, &count);
  pcre2_pattern_info(code_->code, PCRE2_INFO_NAMEENTRYSIZE, &entry);
  pcre2_pattern_info(code_->code, PCRE2_INFO_NAMETABLE, &table);
  for (uint32_t i = 0; i < count; ++i) {
    const unsigned char* e = table + i * entry;
    int num = (e[0] << 8) | e[1];
    out.emplace_back(reinterpret_cast<const char*>(e + 2), num);
  }
  return out;
}

void Regex::set_limits(std::uint32_t match_limit, std::uint32_t depth_limit) {
  g_match_limit = match_limit;
  g_depth_limit = depth_limit;
}

std::uint32_t Regex::match_limit() { return g_match_limit.load(); }
std::uint32_t Regex::depth_limit() { return g_depth_limit.load(); }

std::string regex_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}/").find(c) != std::string_view::npos && c != '/') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace rl
