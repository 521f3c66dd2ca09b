#pragma once
/// Internals of the Apache parser shared by src/parse/apache*.cpp (not a public interface).
/// apache.cpp: lines, sections, core directives; apache_alias.cpp: mod_alias;
/// apache_rewrite.cpp: mod_rewrite.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parse/parse.hpp"

namespace rl::apache {

/// One argument of a directive after httpd's unquoting.
struct Arg {
  std::string value;            ///< the word as httpd sees it
  std::size_t begin = 0, end = 0;  ///< offsets of the raw token (quotes included) in the logical line
  std::vector<std::uint32_t> map;  ///< logical-line offset of each value byte when unquoting removed bytes
  bool quoted = false;
  bool terminated = true;       ///< false: an opening quote without its closing quote
  /// Logical-line offset of value byte `i` (i == value.size() gives the end of the value).
  std::size_t offset_of(std::size_t i) const;
};

/// A logical line: physical lines joined at `\` continuations, with a map back to file offsets.
struct LogicalLine {
  std::string text;
  std::vector<std::pair<std::size_t, std::size_t>> segments;  ///< (logical offset, file offset) per physical line
  std::size_t file_begin = 0, file_end = 0;  ///< file offsets of the first and one past the last byte
  std::size_t file_offset(std::size_t logical) const;
};

/// A pending RewriteCond, waiting for its RewriteRule.
struct PendingCond {
  Condition cond;
  int captures = 0;  ///< groups of its regex (0 for non-regex or negated conditions)
  /// `$N` references in the test string: (N, range), checked against the rule's groups.
  std::vector<std::pair<int, SourceRange>> rule_refs;
};

/// A per-directory configuration that owns rewrite state: the top level, a <VirtualHost>, a
/// <Directory>. IfModule, IfDefine, If, Files... share their parent's context.
struct Context {
  int block = -1;           ///< the Block that opened it, -1 = top level
  bool per_dir = false;     ///< RewriteRule patterns see the path without this directory's prefix
  std::string dir = "/";    ///< URL path of the directory (per_dir), '/'-terminated
  std::string document_root;  ///< DocumentRoot seen in this context (vhost / top level)
  std::vector<PendingCond> pending;  ///< RewriteConds waiting for the next RewriteRule of this context
};

/// An open section on the nesting stack.
struct Frame {
  std::string name;     ///< lower-cased section name
  std::string written;  ///< as written
  int block = -1;       ///< -1 when nested deeper than the limit (no Block recorded)
  int context = 0;      ///< index into Parser::contexts_
  SourceRange open;
};

/// Result of converting a substitution / test string to the model's template syntax.
struct Template {
  std::string url;
  std::vector<std::pair<int, std::size_t>> rule_refs;  ///< `$N`: (N, value offset)
  std::vector<std::pair<int, std::size_t>> cond_refs;  ///< `%N`: (N, value offset)
  std::vector<std::pair<std::string, std::size_t>> maps;  ///< `${map:...}` lookups: (text, value offset)
  /// The lookups, in order; `url` names lookup i as `${map:<map_base + i>}` (RuleSet::map_lookups).
  std::vector<MapLookup> lookups;
  std::size_t map_base = 0;
};

/// Converts a mod_rewrite substitution or TestString (do_expand syntax) to a Target template.
/// Map lookups are numbered from `map_base` (the caller appends Template::lookups to RuleSet::map_lookups).
Template rewrite_template(std::string_view text, std::size_t map_base = 0);
/// What an ap_expr (`RewriteCond expr`, `<If>`) uses that the simulator does not model ("" = nothing
/// seen): a unary file/URL test or a function call.
std::string unmodelled_expr_part(std::string_view expr);
/// Converts a mod_alias target (ap_pregsub syntax: `$N`, `\c`) to a Target template; `$N` is kept
/// only when `regex` (RedirectMatch), else every `$` is literal.
Template alias_template(std::string_view text, bool regex);
/// Maps a mod_rewrite variable name (`HTTP_HOST`, `HTTP:X-Forwarded-Proto`) to `${...}`.
std::string variable_template(std::string_view name);
/// Escapes a literal for the template syntax (`$` -> `$$`, `%` -> `%%`).
std::string template_literal(std::string_view text);
/// Rewrites a per-directory RewriteRule pattern to match the full path with leading '/'
/// (DESIGN.md §2), keeping the capture numbers: `^old/(.*)$` in `/blog/` -> `^/blog/old/(.*)$`.
std::string per_dir_pattern(std::string_view pattern, std::string_view dir);
/// True when `url` starts with a scheme (`http:`, `https:`, `mailto:` ...), as httpd's ap_is_url().
bool is_url(std::string_view url);
/// Quotes a user value for a one-line message: at most 80 bytes, control and non-ASCII bytes as \xNN.
std::string quote(std::string_view value);
/// "1 group", "2 groups".
inline std::string count_groups(int n) { return std::to_string(n) + (n == 1 ? " group" : " groups"); }
/// Lower-cases ASCII.
std::string lower(std::string_view s);
/// Damerau-free Levenshtein distance, case-insensitive, capped at `cap + 1`.
int edit_distance(std::string_view a, std::string_view b, int cap);

class Parser {
 public:
  Parser(SourceFiles& files, FileId id, Format format, const ParseOptions& opts);
  RuleSet run();

  // Used by the per-module files.
  void directive_redirect(const LogicalLine& ln, std::string_view name, const std::vector<Arg>& args);
  void directive_rewrite_rule(const LogicalLine& ln, const std::vector<Arg>& args);
  void directive_rewrite_cond(const LogicalLine& ln, const std::vector<Arg>& args);
  void directive_rewrite_map(const LogicalLine& ln, std::string_view name, const std::vector<Arg>& args);

 private:
  void read_lines();
  void handle_line(const LogicalLine& ln);
  void open_section(const LogicalLine& ln, std::string_view name, std::size_t name_at, std::string_view args, std::size_t args_at);
  void close_section(const LogicalLine& ln, std::string_view name, std::size_t name_at);
  void handle_directive(const LogicalLine& ln, std::string_view name, std::size_t name_at, std::string_view rest, std::size_t rest_at);
  void finish();

 public:
  // Helpers shared with the per-module files.
  SourceRange line_range(const LogicalLine& ln) const;
  SourceRange logical_range(const LogicalLine& ln, std::size_t begin, std::size_t end) const;
  SourceRange arg_range(const LogicalLine& ln, const Arg& a) const;
  SourceRange value_range(const LogicalLine& ln, const Arg& a, std::size_t begin, std::size_t end) const;
  void report(std::string_view code, SourceRange where, std::string message);
  /// Splits the directive's arguments with ap_getword_conf() rules (`rewrite`: parseargline()).
  std::vector<Arg> split_args(const LogicalLine& ln, std::size_t from, bool rewrite, std::size_t to = std::string::npos);
  std::string original(const LogicalLine& ln) const;
  /// A rule with id, where, origin, original and scope filled in.
  Rule new_rule(const LogicalLine& ln, std::string_view directive);
  Context& context();
  int innermost_block() const;
  void add_unmodelled(const LogicalLine& ln, std::string_view directive, bool relevant);

  SourceFiles& files_;
  FileId id_;
  Format format_;
  ParseOptions opts_;
  RuleSet rs_;
  std::vector<Frame> stack_;
  std::vector<Context> contexts_;
  std::vector<std::pair<RuleId, int>> relative_targets_;  ///< per-dir relative substitutions: (rule, context)
  bool depth_reported_ = false;
  struct MapLookup {
    std::string name, text;
    SourceRange where;
  };
  std::vector<MapLookup> map_lookups_;     ///< `${map:...}` uses, reported unless the map is defined here
  std::vector<std::string> maps_defined_;  ///< RewriteMap names of this file
  std::string server_root_;                ///< the last ServerRoot seen ("" = the checked file's directory)
  /// Reads a txt:/rnd: map file into `m` (bounded, inside --include-root); false + m.why when it cannot.
  bool read_map_file(RewriteMapDef& m);
  std::vector<RuleId> absolute_implicit_;  ///< RewriteRules that redirect only because the target is absolute
  void note_map_lookups(const LogicalLine& ln, const Arg& arg, Template& t);
  void same_host_rewrites();
  void unsimulated_section_rules();
};

}  // namespace rl::apache
