// The Apache simulator's per-RuleSet side table: compiled regexes and split templates, cached so that
// tracing many requests against one RuleSet compiles each pattern once.
#include <algorithm>
#include <array>
#include <memory>

#include "simulate/apache_internal.hpp"
#include "simulate/nginx_detail.hpp"
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

bool is_rewrite_rule(const Rule& r) { return r.origin.directive == "RewriteRule"; }
bool is_alias_rule(const Rule& r) {
  const std::string& d = r.origin.directive;
  return d == "Redirect" || d == "RedirectMatch" || d == "RedirectPermanent" || d == "RedirectTemp";
}

// RewriteEngine of a server: the vhost's own setting, else the main server's (config_server_merge).
bool engine_on(const RuleSet& rs, int server) {
  if (server >= 0) {
    const Block& b = rs.blocks[static_cast<std::size_t>(server)];
    if (b.rewrite_engine) return *b.rewrite_engine;
  }
  return rs.rewrite_engine.value_or(false);
}

bool has_option(const std::vector<std::string>& options, std::string_view name) {
  for (const std::string& o : options)
    if (url::iequals(o, name)) return true;
  return false;
}

// Lists shorter than this are tried rule by rule: an index would cost more than it saves.
constexpr std::size_t kIndexMin = 64;

// The index key of a literal (or the lookup head of a subject): cut after its first '/' past the
// start: "/blog/x" -> "/blog/", "/s1" -> "/s1", "old/page" -> "old/", "/" -> "/". Every literal
// that starts a subject has a key that starts the subject's head.
std::string_view head(std::string_view literal) {
  std::size_t second = literal.find('/', 1);
  return second == std::string_view::npos ? literal : literal.substr(0, second + 1);
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
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

void RuleList::build_index(bool rewrite, bool on) {
  indexed = on && rules.size() >= kIndexMin;
  if (!indexed) return;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = *rules[i];
    const Pattern& p = r.match;
    auto pos = static_cast<std::uint32_t>(i);
    // A failed rule of a [C] chain skips the rest of the chain: every rule of a chain is tried.
    bool chained = rewrite && (r.flags->chain || (i > 0 && rules[i - 1]->flags->chain));
    std::string literal;
    if (!chained && !p.negated) {
      if (p.kind == MatchKind::regex) {
        // The pattern exactly as compile_rule() compiles it.
        literal = nginx_sim::literal_prefix(rewrite && !p.original.empty() ? p.original : p.text);
      } else if (p.kind == MatchKind::prefix && !rewrite && p.text.find("//") == std::string::npos) {
        // alias_matches() lets one '/' of the alias match several of the path: only single slashes.
        literal = p.text;
      }
    }
    // PCRE2 without UTF folds ASCII letters only: a lower-cased ASCII literal finds every match.
    if (p.ignore_case && !is_ascii(literal)) literal.clear();
    std::string_view key = head(literal);
    if (key.empty()) scan.push_back(pos);
    else if (p.ignore_case) folded.add(url::lower(key), pos);
    else prefix.add(key, pos);
  }
  prefix.finish();
  folded.finish();
}

void RuleList::candidates(std::string_view subject, std::vector<std::uint32_t>& out) const {
  out = scan;
  // Every key that can start this subject: the prefixes of its head.
  std::string_view first = head(subject);
  for (std::size_t len = 1; len <= first.size(); ++len) prefix.collect(first.substr(0, len), out);
  if (folded.size()) {
    std::string lower = url::lower(first);
    for (std::size_t len = 1; len <= lower.size(); ++len) folded.collect(std::string_view(lower).substr(0, len), out);
  }
  if (out.size() != scan.size()) std::sort(out.begin(), out.end());
}

const CompiledRule& Compiled::rule(const Rule& r) const {
  std::unique_ptr<CompiledRule>& slot = rules_[r.id];
  if (!slot) slot = std::make_unique<CompiledRule>(compile_rule(rs_, r));
  return *slot;
}

const ContextLists& Compiled::server_lists(int server) const {
  std::unique_ptr<ContextLists>& slot = lists_[server];
  if (slot) return *slot;
  slot = std::make_unique<ContextLists>();
  ContextLists& out = *slot;
  std::vector<const Rule*> rewrites, aliases, main_rewrites, main_aliases;
  for (const Rule& r : rs_.rules) {
    if (!in_rule_context(rs_, r)) {
      if (r.scope.server == server || r.scope.server < 0) {
        ++out.unsimulated;
        out.sections.push_back(&r);
      }
      continue;
    }
    bool own = r.scope.server == server;
    bool main = r.scope.server < 0;
    if (is_rewrite_rule(r)) {
      if (own) rewrites.push_back(&r);
      else if (main) main_rewrites.push_back(&r);
    } else if (is_alias_rule(r)) {
      if (own) aliases.push_back(&r);
      else if (main) main_aliases.push_back(&r);
    }
  }
  if (server >= 0) {
    // Rules are not inherited by a vhost unless RewriteOptions Inherit / InheritBefore.
    const auto& options = rs_.blocks[static_cast<std::size_t>(server)].rewrite_options;
    if (has_option(options, "InheritBefore"))
      rewrites.insert(rewrites.begin(), main_rewrites.begin(), main_rewrites.end());
    else if (has_option(options, "Inherit"))
      rewrites.insert(rewrites.end(), main_rewrites.begin(), main_rewrites.end());
    // mod_alias merges: the vhost's Redirects first, then the main server's.
    aliases.insert(aliases.end(), main_aliases.begin(), main_aliases.end());
  }
  if (engine_on(rs_, server)) out.rewrites.rules = std::move(rewrites);
  out.aliases.rules = std::move(aliases);
  out.rewrites.build_index(true, index_ == Index::on);
  out.aliases.build_index(false, index_ == Index::on);
  return out;
}

const ContextLists& Compiled::per_dir_lists() const {
  // Vhost indexes are >= -1: a key no server can have.
  std::unique_ptr<ContextLists>& slot = lists_[-2];
  if (slot) return *slot;
  slot = std::make_unique<ContextLists>();
  for (const Rule& r : rs_.rules) {
    if (!in_rule_context(rs_, r)) {
      slot->sections.push_back(&r);
      continue;
    }
    if (is_rewrite_rule(r)) slot->rewrites.rules.push_back(&r);
    else if (is_alias_rule(r)) slot->aliases.rules.push_back(&r);
  }
  // Per-directory patterns see the path without the directory prefix (the engine looks the
  // candidates up with that subject); mod_alias still sees the whole URL-path.
  slot->rewrites.build_index(true, index_ == Index::on);
  slot->aliases.build_index(false, index_ == Index::on);
  return *slot;
}

const Compiled& compiled_for(const RuleSet& rs) {
  thread_local std::array<CacheEntry, 8> cache;
  thread_local std::size_t next = 0;
  for (CacheEntry& e : cache)
    if (e.compiled && same(e, rs)) return *e.compiled;
  auto c = std::make_shared<Compiled>(rs);
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
