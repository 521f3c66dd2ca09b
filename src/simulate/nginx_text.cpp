// nginx string routines for the simulator (see nginx_detail.hpp).
#include <cctype>
#include "util/hex.hpp"
#include <cstdint>
#include <cstring>
#include <unordered_map>

#include "simulate/nginx_detail.hpp"
#include "simulate/url.hpp"

namespace rl::nginx_sim {

namespace {

void append_hex(std::string& out, unsigned char c) {
  static constexpr char digits[] = "0123456789ABCDEF";
  out += '%';
  out += digits[c >> 4];
  out += digits[c & 15];
}

}  // namespace

ParsedTarget parse_target(std::string_view raw, bool merge_slashes) {
  ParsedTarget t;
  url::SplitTarget split = url::split_target(raw);
  t.args = split.query.value_or("");
  const std::string& path = split.path;
  // Set by the request-line parser and again by ngx_http_parse_complex_uri (which runs on any path
  // with a '%', "/." or "//"): in effect, any '%' or '+' in the path.
  t.quoted_uri = path.find('%') != std::string::npos;
  t.plus_in_uri = path.find('+') != std::string::npos;
  if (path.empty() || path[0] != '/') {
    t.error_status = 400;
    return t;
  }
  std::string decoded;
  if (!url::percent_decode(path, decoded) || decoded.find('\0') != std::string::npos) {
    t.error_status = 400;
    return t;
  }
  if (!url::normalise_path(decoded, merge_slashes, t.uri)) {
    t.error_status = 400;
    return t;
  }
  if (t.uri.empty()) t.uri.push_back('/');  // (not `= "/"`: GCC 12 -Wrestrict false positive)
  return t;
}

bool validate_host(std::string_view h, std::string& name) {
  enum { usual, literal, rest } state = usual;
  std::size_t dot_pos = std::string_view::npos, host_len = h.size();
  for (std::size_t i = 0; i < h.size(); ++i) {
    auto c = static_cast<unsigned char>(h[i]);
    switch (c) {
      case '.':
        if (i > 0 && dot_pos == i - 1) return false;
        dot_pos = i;
        break;
      case ':':
        if (state == usual) host_len = i, state = rest;
        break;
      case '[':
        if (i == 0) state = literal;
        break;
      case ']':
        if (state == literal) host_len = i + 1, state = rest;
        break;
      default:
        if (c == '/' || c <= 0x20 || c == 0x7f) return false;
    }
  }
  if (host_len > 0 && dot_pos == host_len - 1) --host_len;
  if (host_len == 0) return false;
  name = url::lower(h.substr(0, host_len));
  return true;
}

std::string escape_args(std::string_view s) {
  static constexpr std::string_view special = " \"#%&+;<>?\\^`{|}";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7f || special.find(ch) != std::string_view::npos)
      append_hex(out, c);
    else
      out += ch;
  }
  return out;
}

std::string unescape_redirect(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '?') break;
    if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      int v = hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]);
      if (v > '%' && v < 0x7f)
        out += static_cast<char>(v);
      else
        out.append(s.substr(i, 3));
      i += 2;
      continue;
    }
    out += c;
  }
  out.append(s.substr(i));
  return out;
}

std::string literal_prefix(std::string_view pattern) {
  if (pattern.empty() || pattern[0] != '^' || pattern.find('|') != std::string_view::npos) return {};
  static constexpr std::string_view meta = ".[](){}*+?$^|\\";
  static constexpr std::string_view quantifier = "*+?{";
  std::string out;
  std::size_t i = 1;
  while (i < pattern.size()) {
    char c = pattern[i];
    std::size_t next = i + 1;
    if (c == '\\') {
      // Only escaped punctuation is a literal (`\.` `\/` `\-`); `\d`, `\Q`, `\x41`... end the prefix.
      if (i + 1 >= pattern.size() || std::isalnum(static_cast<unsigned char>(pattern[i + 1]))) break;
      c = pattern[i + 1];
      next = i + 2;
    } else if (meta.find(c) != std::string_view::npos) {
      break;
    }
    // A quantified character is optional or repeated: it is not part of the prefix.
    if (next < pattern.size() && quantifier.find(pattern[next]) != std::string_view::npos) break;
    out += c;
    i = next;
  }
  return out;
}

MatchStatus CompiledRegex::match(std::string_view subject, Captures* caps) const {
  if (!re) return MatchStatus::error;
  if (!subject.starts_with(prefix)) return MatchStatus::no_match;
  return re->match(subject, caps);
}

std::shared_ptr<const CompiledRegex> cached_regex(std::string_view pattern, bool ignore_case) {
  // A per-thread compile cache: `trace --urls` runs the same patterns on 100k requests, and compiling
  // (or even hashing the pattern text) each time would dominate. Keyed by where the pattern lives in
  // the RuleSet; the stored copy of the text guards against a reused address. Bounded in size.
  struct Entry {
    std::string pattern;
    bool ignore_case = false;
    std::shared_ptr<const CompiledRegex> compiled;
  };
  struct KeyHash {
    std::size_t operator()(const std::pair<const char*, std::size_t>& k) const noexcept {
      return std::hash<const void*>()(k.first) ^ (k.second * 0x9e3779b97f4a7c15ull);
    }
  };
  thread_local std::unordered_map<std::pair<const char*, std::size_t>, Entry, KeyHash> cache;
  std::pair<const char*, std::size_t> key{pattern.data(), pattern.size()};
  auto it = cache.find(key);
  if (it != cache.end() && it->second.ignore_case == ignore_case && it->second.pattern == pattern)
    return it->second.compiled;
  if (cache.size() > (1u << 20)) cache.clear();  // above any real config: no thrashing on 100k rules
  auto c = std::make_shared<CompiledRegex>();
  c->re = Regex::compile(pattern, ignore_case);
  if (c->re) {
    c->names = c->re->names();
    // A caseless pattern may match other cases of the literal text. (An inline `(?i)` can only come
    // after the prefix ends: the prefix stops at the first '('.)
    if (!ignore_case) c->prefix = literal_prefix(pattern);
  }
  Entry e{std::string(pattern), ignore_case, c};
  cache.insert_or_assign(key, std::move(e));
  return c;
}

const std::shared_ptr<const CompiledRegex>& rule_regex(const RuleSet& rs, const Rule& r) {
  struct Slot {
    std::string pattern;
    bool ignore_case = false;
    std::shared_ptr<const CompiledRegex> compiled;
  };
  struct Last {
    const RuleSet* rs = nullptr;
    const Rule* data = nullptr;
    std::size_t size = 0;
    std::vector<Slot> slots;
  };
  thread_local Last last;
  if (last.rs != &rs || last.data != rs.rules.data() || last.size != rs.rules.size()) {
    last = Last{&rs, rs.rules.data(), rs.rules.size(), std::vector<Slot>(rs.rules.size())};
  }
  auto addr = reinterpret_cast<std::uintptr_t>(&r), base = reinterpret_cast<std::uintptr_t>(rs.rules.data());
  if (addr < base || addr >= base + rs.rules.size() * sizeof(Rule)) {  // not a rule of rs: no slot
    thread_local std::shared_ptr<const CompiledRegex> loose;
    loose = cached_regex(r.match.text, r.match.ignore_case);
    return loose;
  }
  Slot& slot = last.slots[(addr - base) / sizeof(Rule)];
  // The text is compared every time: a RuleSet rebuilt at the same address must not reuse a slot.
  if (!slot.compiled || slot.ignore_case != r.match.ignore_case || slot.pattern != r.match.text)
    slot = Slot{r.match.text, r.match.ignore_case, cached_regex(r.match.text, r.match.ignore_case)};
  return slot.compiled;
}

std::optional<std::string> CaptureSet::named(std::string_view name) const {
  if (!from) return std::nullopt;
  for (const auto& [n, index] : from->names)
    if (n == name) return group(index);
  return std::nullopt;
}

int server_name_rank(std::string_view name, std::string_view host) {
  constexpr int exact = 3 << 20, leading = 2 << 20, trailing = 1 << 20;
  auto capped = [](std::size_t n) { return static_cast<int>(n > 0xfffff ? 0xfffff : n); };
  if (name.empty()) return host.empty() ? exact : 0;
  if (name[0] == '~') return 0;
  if (name.starts_with("*.")) {
    std::string_view suffix = name.substr(1);  // ".example.org"
    return host.size() > suffix.size() && host.ends_with(suffix) ? leading + capped(suffix.size()) : 0;
  }
  if (name[0] == '.') {  // ".example.org" = "example.org" + "*.example.org"
    if (host == name.substr(1)) return exact;
    return host.size() > name.size() && host.ends_with(name) ? leading + capped(name.size()) : 0;
  }
  if (name.ends_with(".*")) {
    std::string_view prefix = name.substr(0, name.size() - 1);  // "mail."
    return host.size() > prefix.size() && host.starts_with(prefix) ? trailing + capped(prefix.size()) : 0;
  }
  return url::iequals(name, host) ? exact : 0;
}

}  // namespace rl::nginx_sim
