#pragma once
/// Internals of the Apache simulator shared by src/simulate/apache*.cpp (not a public interface).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "simulate/simulate.hpp"
#include "simulate/template.hpp"
#include "util/key_positions.hpp"
#include "util/regex.hpp"

namespace rl::apache_sim {

/// What the simulator needs per rule, built once per RuleSet (regexes compiled, templates split).
struct CompiledRule {
  std::optional<Regex> re;                        ///< rule pattern; nullopt = does not compile (never matches)
  std::vector<TemplatePart> target;               ///< substitution / Redirect target
  std::vector<std::optional<Regex>> cond_re;      ///< per condition (regex conditions only)
  std::vector<std::vector<TemplatePart>> cond_test;  ///< per condition: its test string
  bool explicit_r = false;  ///< RewriteRule [R] / [R=code] written (absolute targets redirect anyway)
  bool relative = false;    ///< per-directory relative substitution (the directory prefix is added at run time)
};

/// An ordered rule list of one context (its mod_rewrite rules, or its mod_alias redirects) with a
/// candidate index, so that a request does not try every rule of a large config (issues 8, 15): rules
/// whose pattern starts with a literal are filed under that literal cut after its first '/' past the
/// start ("/blog/x" -> "/blog/", "old/page" -> "old/"; `[NC]` rules under the lower-cased literal, when
/// it is ASCII). Conditions do not matter: they are tested after the pattern, as httpd does. The
/// others (no literal prefix, negated, [C] chains) are tried for every subject. The index only
/// leaves out rules whose pattern cannot match the subject, so file order, [S=n], [N] and [C]
/// (positions in `rules`) work as on the whole list.
struct RuleList {
  std::vector<const Rule*> rules;
  bool indexed = false;  ///< false: every rule is a candidate (small lists, or Compiled::Index::off)
  KeyPositions prefix;   ///< "/seg/", "/lit", "seg/" -> positions
  KeyPositions folded;   ///< the same for case-insensitive patterns, keys lower-cased
  std::vector<std::uint32_t> scan;  ///< positions that are candidates for every subject

  /// Builds the index (`rewrite`: RewriteRule patterns as compiled, else mod_alias patterns); `on`
  /// false leaves the list unindexed.
  void build_index(bool rewrite, bool on);
  /// The positions of the rules that can match `subject` (the string the patterns see: the URL-path
  /// in server context, the path after the directory prefix in .htaccess), ascending; a superset:
  /// the engine decides.
  void candidates(std::string_view subject, std::vector<std::uint32_t>& out) const;
};

/// The rule lists one request context runs, after vhost selection and RewriteOptions inheritance.
struct ContextLists {
  RuleList rewrites;     ///< empty when RewriteEngine is off
  RuleList aliases;
  int unsimulated = 0;   ///< rules in <Directory>, <Location>, <Files>, <If>: not simulated
  /// Those rules (the vhost's and the main server's), in file order: run_sections() decides them.
  std::vector<const Rule*> sections;
};

/// A three-valued answer: whether a section applies when the simulator may not know.
enum class Tri { no, yes, unknown };

/// Per-RuleSet simulator state: compiled rules (on first use: a request compiles only the candidates
/// it tries) and the lists of each context, built on first use.
class Compiled {
 public:
  /// `off`: no candidate index, every request tries every rule (the reference the index is tested
  /// against: tests/unit/simulate_apache_index.cpp).
  enum class Index { on, off };
  explicit Compiled(const RuleSet& rs, Index index = Index::on) : rs_(rs), index_(index), rules_(rs.rules.size()) {}
  const CompiledRule& rule(const Rule& r) const;
  /// Server context: the lists of vhost `server` (-1 = main server).
  const ContextLists& server_lists(int server) const;
  /// .htaccess: the lists of the per-directory context.
  const ContextLists& per_dir_lists() const;
  /// The value of `key` in txt:/rnd: map `map` (index in RuleSet::maps): its first entry with that key,
  /// nullptr when there is none. Hashed on first use of the map.
  const std::string* map_entry(std::size_t map, const std::string& key) const;

 private:
  const RuleSet& rs_;
  Index index_;
  mutable std::vector<std::unique_ptr<CompiledRule>> rules_;  // indexed by RuleId
  mutable std::unordered_map<int, std::unique_ptr<ContextLists>> lists_;
  mutable std::unordered_map<std::size_t, std::unordered_map<std::string, std::size_t>> map_index_;  // map -> key -> entry
};

/// The compiled side table of `rs`, cached per thread (a few RuleSets; rebuilt when `rs` changes).
const Compiled& compiled_for(const RuleSet& rs);

/// simulate_apache() with the side table `c` (built for `rs`).
Outcome simulate_with(const RuleSet& rs, const Compiled& c, const Request& req, const SimOptions& opts);

/// True when the blocks between `r` and its context (its <VirtualHost>, or the file) are all ones the
/// simulator sees through: IfModule/IfVersion (the modules we simulate are loaded), `<IfDefine !X>`.
/// Rules in <Directory>, <Location>, <Files>, <If> are not simulated.
bool in_rule_context(const RuleSet& rs, const Rule& r);

/// An error answer that an ErrorDocument full URL turns into a 302 to that URL (the others unchanged).
Outcome apply_error_document(const RuleSet& rs, int server, Outcome o);

/// The words of a directive's source text as httpd splits them (quotes removed, `\` kept).
std::vector<std::string> directive_words(std::string_view original);

/// r->filename, r->args and friends while a mod_rewrite rule list runs.
struct RewriteState {
  std::string filename;              ///< r->filename (server context: starts as the URL path)
  std::string path_info;             ///< per-directory: r->path_info from the directory walk
  std::optional<std::string> args;   ///< r->args, raw
  int status = 0;                    ///< r->status set by [R=code]
  int forced = 0;                    ///< ACTION_STATUS: F, G, R=4xx, 403 for an unsafe '?', 500 for [N] rounds
  bool noescape = false;             ///< the last substituting rule had [NE]
  bool end = false;                  ///< [END] fired
  bool passthrough = false;          ///< [PT] fired
  const Rule* limit_rule = nullptr;  ///< a regex hit the PCRE2 limit
};

enum class ListResult { declined, changed, status, limit };

/// One request through one Apache context. Server context: run_server(); .htaccess: run_per_dir().
class Engine {
 public:
  Engine(const RuleSet& rs, const Compiled& c, const Request& req, const SimOptions& opts);

  std::string uri;                  ///< r->uri: decoded, normalised path of the current (internal) request
  std::optional<std::string> args;  ///< r->args of the current request
  int server = -1;                  ///< selected <VirtualHost> block, -1 = main server

  Outcome run_server(const ContextLists& lists);
  Outcome run_per_dir();
  /// Why the answer is not known ("" = it is): a value the request read that the simulator cannot know
  /// (an environment variable set outside mod_rewrite, ...). The caller turns the outcome into unknown.
  const std::string& unknown() const { return unknown_; }

 private:
  enum class RuleResult { no_match, matched, no_substitution, status, limit };

  /// The string a RewriteRule pattern is matched against (a view into st.filename or `buf`).
  static std::string_view rule_subject(const std::string& perdir, const RewriteState& st, std::string& buf);
  ListResult apply_list(const RuleList& list, const std::string& perdir, RewriteState& st);
  RuleResult apply_rule(const Rule& r, const std::string& perdir, RewriteState& st);
  bool conditions_hold(const Rule& r, const Captures* rule_caps, Captures& cond_caps, RewriteState& st);
  std::optional<Outcome> try_aliases(const RuleList& aliases);
  Outcome finish_absolute(RewriteState& st, const std::optional<std::string>& orig_args);
  std::string variable(std::string_view name, const RewriteState* st) const;
  /// The value of a non-literal template part: a capture, a variable, or a RewriteMap lookup `${map:N}`
  /// (its key expanded with the same captures).
  std::string part_value(const TemplatePart& p, const Captures* rule_caps, const Captures* cond_caps,
                         const RewriteState* st) const;
  std::string map_value(std::string_view index, const Captures* rule_caps, const Captures* cond_caps,
                        const RewriteState* st) const;
  std::string construct_url(std::string_view path) const;
  bool file_exists(std::string_view path) const;
  bool dir_exists(std::string_view path) const;
  void split_path_info(const std::string& path, std::string& filename, std::string& path_info) const;
  void fired_rule(const Rule& r, std::string url_after);
  std::string docroot() const;
  int server_port() const;
  bool redirect_relative() const;

  const RuleSet& rs_;
  const Compiled& c_;
  const Request& req_;
  const SimOptions& opts_;
  // Semantics beyond the rule lists (environment, ...): apache_semantics.cpp.
  void set_env(const Rule& r, const Captures* rule_caps, const Captures* cond_caps, RewriteState& st);
  std::string env_value(std::string_view name) const;
  void next_internal_request_env();
  // Per-directory sections of a server config (<If>, <Location>, <Directory>, <Files>): the fixup phase.
  std::optional<Outcome> run_sections(const ContextLists& lists, bool rewritten);
  Tri block_applies(int block, std::string& why) const;
  Tri rule_applies(const Rule& r, std::string& why) const;
  Tri expr_holds(std::string_view expr, std::string& why) const;
  std::optional<std::string> expr_variable(std::string_view name) const;

  std::string perdir_;  ///< filesystem directory of the .htaccess (per-dir), '/'-terminated
  /// r->subprocess_env as mod_rewrite's [E=] leaves it (names compared case-insensitively, as apr tables).
  std::vector<std::pair<std::string, std::string>> env_;
  mutable std::string unknown_;  ///< see unknown()
  std::vector<FiredRule> fired_;
};

}  // namespace rl::apache_sim
