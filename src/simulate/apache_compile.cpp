// The Apache simulator's per-RuleSet side table: compiled regexes and split templates, cached so that
// tracing many requests against one RuleSet compiles each pattern once.
#include <array>
#include <memory>

#include "simulate/apache_internal.hpp"
#include "simulate/url.hpp"

namespace rl::apache_sim {

namespace {

std::string template_literal(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '$' || c == '%') out += c;
    out += c;
  }
  return out;
}

bool flags_have_redirect(std::string_view flags) {
  if (flags.size() < 2 || flags.front() != '[' || flags.back() != ']') return false;
  flags = flags.substr(1, flags.size() - 2);
  while (!flags.empty()) {
    std::size_t comma = flags.find(',');
    std::string f = url::lower(flags.substr(0, comma));
    std::string name = f.substr(0, f.find('='));
    if (name == "r" || name == "redirect") return true;
    if (comma == std::string_view::npos) break;
    flags.remove_prefix(comma + 1);
  }
  return false;
}

CompiledRule compile_rule(const RuleSet& rs, const Rule& r) {
  CompiledRule cr;
  const bool rewrite = r.origin.directive == "RewriteRule";
  if (r.match.kind == MatchKind::regex) {
    const std::string& pattern = rewrite && !r.match.original.empty() ? r.match.original : r.match.text;
    cr.re = Regex::compile(pattern, r.match.ignore_case);
  }
  for (const Condition& c : r.conds) {
    cr.cond_re.push_back(c.op == CondOp::regex ? Regex::compile(c.pattern.text, c.pattern.ignore_case) : std::nullopt);
    cr.cond_test.push_back(parse_template(c.test));
  }
  if (!r.target) return cr;
  std::string url = r.target->url;
  if (rewrite) {
    std::vector<std::string> words = directive_words(r.original);
    cr.explicit_r = words.size() >= 4 && flags_have_redirect(words[3]);
    if (rs.format == Format::htaccess && words.size() >= 3 && !r.target->absolute) {
      const std::string& sub = words[2];
      bool rooted = (!sub.empty() && sub[0] == '/') || url::lower(sub).rfind("%{request_uri}", 0) == 0;
      std::string prefix = rs.rewrite_base ? *rs.rewrite_base : rs.dir;
      if (prefix.empty() || prefix.back() != '/') prefix += '/';
      std::string lit = template_literal(prefix);
      if (!rooted && url.rfind(lit, 0) == 0) {
        // The parser made the substitution absolute (model normalisation); httpd adds the prefix later.
        url = url.substr(lit.size());
        cr.relative = true;
      }
    }
  }
  cr.target = parse_template(url);
  return cr;
}

struct CacheEntry {
  const RuleSet* rs = nullptr;
  const Rule* data = nullptr;
  std::size_t size = 0;
  std::string first, last;  // originals of the first and last rule: a cheap identity check
  std::shared_ptr<Compiled> compiled;
};

bool same(const CacheEntry& e, const RuleSet& rs) {
  return e.rs == &rs && e.data == rs.rules.data() && e.size == rs.rules.size() &&
         (rs.rules.empty() || (e.first == rs.rules.front().original && e.last == rs.rules.back().original));
}

}  // namespace

std::vector<std::string> directive_words(std::string_view s) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' ||
                            (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '\n' || s[i + 1] == '\r'))))
      ++i;
    if (i >= s.size()) break;
    std::string w;
    char quote = (s[i] == '"' || s[i] == '\'') ? s[i++] : 0;
    while (i < s.size()) {
      char c = s[i];
      if (quote ? c == quote : (c == ' ' || c == '\t' || c == '\r' || c == '\n')) break;
      if (c == '\\' && i + 1 < s.size() && (s[i + 1] == ' ' || s[i + 1] == '\t' || s[i + 1] == quote)) {
        w += c;
        w += s[i + 1];
        i += 2;
        continue;
      }
      w += c;
      ++i;
    }
    if (quote && i < s.size()) ++i;
    words.push_back(std::move(w));
  }
  return words;
}

const Compiled& compiled_for(const RuleSet& rs) {
  thread_local std::array<CacheEntry, 8> cache;
  thread_local std::size_t next = 0;
  for (CacheEntry& e : cache)
    if (e.compiled && same(e, rs)) return *e.compiled;
  auto c = std::make_shared<Compiled>();
  c->rules.reserve(rs.rules.size());
  for (const Rule& r : rs.rules) c->rules.push_back(compile_rule(rs, r));
  CacheEntry& e = cache[next++ % cache.size()];
  e.rs = &rs;
  e.data = rs.rules.data();
  e.size = rs.rules.size();
  e.first = rs.rules.empty() ? std::string() : rs.rules.front().original;
  e.last = rs.rules.empty() ? std::string() : rs.rules.back().original;
  e.compiled = std::move(c);
  return *e.compiled;
}

}  // namespace rl::apache_sim
