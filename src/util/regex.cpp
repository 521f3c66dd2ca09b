#define PCRE2_CODE_UNIT_WIDTH 8
#include "util/regex.hpp"

#include <pcre2.h>

#include <atomic>

namespace rl {

namespace {
std::atomic<std::uint32_t> g_match_limit{1'000'000};
std::atomic<std::uint32_t> g_depth_limit{10'000};
}  // namespace

struct Regex::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

std::optional<Regex> Regex::compile(std::string_view pattern, bool ignore_case, RegexError* err) {
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
  pcre2_match_context* mctx = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(mctx, g_match_limit.load());
  pcre2_set_depth_limit(mctx, g_depth_limit.load());
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(code_->code, nullptr);
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
  } else {
    st = MatchStatus::error;
  }
  pcre2_match_data_free(md);
  pcre2_match_context_free(mctx);
  return st;
}

std::uint32_t Regex::capture_count() const {
  uint32_t n = 0;
  pcre2_pattern_info(code_->code, PCRE2_INFO_CAPTURECOUNT, &n);
  return n;
}

std::vector<std::pair<std::string, int>> Regex::names() const {
  std::vector<std::pair<std::string, int>> out;
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
