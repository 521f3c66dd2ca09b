// The nginx reader: tokens (nginx_lex) -> statements and blocks (explicit stack) -> the model.
// Semantics follow SEMANTICS.md §3 and nginx 1.22.1's ngx_http_rewrite_module / ngx_http_core_module.
#include <glob.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "grammar/nginx_errors.hpp"
#include "parse/quick_regex.hpp"
#include "parse/nginx_lex.hpp"
#include "parse/nginx_vars.hpp"
#include "parse/parse.hpp"
#include "util/regex.hpp"
#include "util/limits.hpp"

namespace rl {

namespace {

using nginx::Token;
using nginx::TokKind;
namespace msg = grammar::nginx::errors;

/// What the statements of a block are.
enum class Ctx {
  main,      ///< top of a file: whole nginx.conf, a bare server{}, or a server-body fragment
  http,
  server,
  location,
  cond,      ///< if (...) { }
  map,       ///< map $a $b { key value; }
  data,      ///< events, upstream, types, geo ...: contents not interpreted
  broken,    ///< a block opened by an error (or too deep): contents skipped
};

struct Frame {
  Ctx ctx = Ctx::main;
  int block = -1;     ///< this frame's Block index (-1 for http/data/broken/main)
  std::string directive;
  FileId file = 0;
  std::size_t begin = 0;  ///< offset of the directive that opened it
  int map = -1;       ///< Ctx::map: index in Reader::maps_
  int unmodelled = -1;  ///< a data/map block kept whole in RuleSet::unmodelled (index), extended at its `}`
};

struct MapEntry {
  std::string key;
  bool regex = false, icase = false;
  std::string value;  ///< as written (nginx value)
  std::string original;
  SourceRange where;  ///< the entry's line: the rules it unrolls into are reported (and fixed) there
};

struct MapDef {
  std::string source;  ///< nginx source string (usually one variable)
  std::string var;     ///< resulting variable, lower-cased, without '$'
  std::vector<MapEntry> entries;
  std::optional<std::string> fallback;  ///< `default`
  bool hostnames = false;
};

/// A rule plus what the end-of-file pass needs to expand map uses.
struct Pending {
  Rule rule;
  bool match_is_all = false;  ///< the rule's own match adds nothing to its block (return/break, `rewrite ^ ...`)
};

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

bool has_glob(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

/// Simple (non-block) directives redirlint interprets; `{` after them is an error.
bool is_simple_known(std::string_view d) {
  static constexpr std::string_view kSimple[] = {"return", "rewrite", "break", "set", "include", "listen",
                                                 "server_name", "absolute_redirect", "port_in_redirect",
                                                 "server_name_in_redirect", "root", "index", "try_files",
                                                 "proxy_pass", "error_page", "ssl"};
  return std::find(std::begin(kSimple), std::end(kSimple), d) != std::end(kSimple);
}

/// Directives a near miss of which is worth an RL002 (they decide redirects), and real directives that
/// are near misses of those (so that they are not reported). nginx refuses any unknown directive.
const std::vector<std::string_view>& redirect_directives() {
  static const std::vector<std::string_view> k = {
      "return", "rewrite", "location", "server", "server_name", "listen", "include", "break", "map", "set",
      "absolute_redirect", "port_in_redirect", "server_name_in_redirect", "error_page", "try_files", "alias",
      "root", "proxy_pass", "http", "events", "upstream"};
  return k;
}
/// Real names (nginx 1.22 and its Debian modules) within the RL002 distance of a redirect directive.
bool is_real_neighbour(std::string_view d) {
  static constexpr std::string_view kReal[] = {"http2", "server_names", "max"};
  return std::find(std::begin(kReal), std::end(kReal), d) != std::end(kReal);
}

/// Edit distance with adjacent transpositions counted once ("retrun" is 1 from "return").
std::size_t osa_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

class Reader {
 public:
  Reader(SourceFiles& files, FileId root, const ParseOptions& opts) : files_(files), opts_(opts), root_(root) {
    rs_.format = Format::nginx;
    rs_.context = Context::server;
    rs_.file = root;
    rs_.files.push_back(root);
    root_dir_ = std::filesystem::path(files.path(root)).parent_path().string();
  }

  RuleSet run() {
    Frame top;
    top.ctx = Ctx::main;
    top.file = root_;
    stack_.push_back(top);
    // Room for every rule and block at once (a statement ends with ';', a block opens with '{'): a
    // growing vector would hold its old and new buffers together (1.5x the model at a million rules).
    // Untouched capacity of a large buffer costs address space, not memory.
    const std::string& t = text(root_);
    rs_.rules.reserve(static_cast<std::size_t>(std::count(t.begin(), t.end(), ';')));
    rs_.blocks.reserve(static_cast<std::size_t>(std::count(t.begin(), t.end(), '{')));
    read_file(root_);
    finish();
    return std::move(rs_);
  }

 private:
  SourceFiles& files_;
  const ParseOptions& opts_;
  FileId root_;
  std::string root_dir_;
  RuleSet rs_;
  std::vector<Frame> stack_;
  std::vector<FileId> include_chain_;
  std::size_t includes_read_ = 0;
  static constexpr std::size_t kMaxIncludedFiles = 10000;
  std::string include_root_;  // canonical, filled on first use
  std::set<std::pair<FileId, std::size_t>> include_reported_;         // includes already resolved
  std::map<std::pair<FileId, std::size_t>, std::vector<FileId>> include_ids_;  // the files each one loaded
  bool reported_depth_ = false;
  std::vector<MapDef> maps_;
  /// Parallel to rs_.rules until finish(): Pending::match_is_all of each rule (rules are stored once,
  /// straight into rs_.rules: a million of them must not be held twice).
  std::vector<bool> match_is_all_;
  void add_rule(Rule r, bool match_is_all) {
    rs_.rules.push_back(std::move(r));
    match_is_all_.push_back(match_is_all);
  }
  /// Per Block: the pattern a `return` inside it matches, and its capture context.
  std::map<int, Pattern> loc_match_;
  std::map<int, nginx::Captures> loc_caps_;
  /// Per Block (an `if`): its conditions and capture context.
  std::map<int, std::vector<Condition>> if_conds_;
  std::map<int, nginx::Captures> if_caps_;
  std::unordered_map<std::string, FileId> loaded_;
  /// Per server Block: has a plain (http) listen, has an ssl listen, `ssl on;` seen.
  struct Listens {
    bool plain = false, ssl = false, ssl_on = false;
  };
  std::map<int, Listens> listens_;
  /// Variables assigned by `set` (name -> where), and names of regex groups seen anywhere.
  std::map<std::string, SourceRange> set_vars_;
  std::set<std::string> capture_names_;

  // ---- diagnostics -------------------------------------------------------------------------
  void diag(std::string_view code, FileId f, std::size_t b, std::size_t e, std::string message) {
    rs_.parse_diags.push_back(make_diagnostic(code, files_.range(f, b, std::max(b, e)), std::move(message)));
  }
  void error(FileId f, std::size_t b, std::size_t e, std::string message) { diag("RL001", f, b, e, std::move(message)); }
  void error_at(FileId f, const Token& t, std::string message) { error(f, t.begin, t.end, std::move(message)); }

  const std::string& text(FileId f) const { return files_.get(f).text; }
  std::string raw(FileId f, std::size_t b, std::size_t e) const { return text(f).substr(b, e - b); }

  // ---- statements and blocks -----------------------------------------------------------------
  void read_file(FileId f) {
    // Tokens arrive in batches (a 1M-rule file is never one token vector); lexical errors are listed
    // before the diagnostics of the statements, as when the whole file was lexed first.
    const std::size_t first_diag = rs_.parse_diags.size();
    std::vector<nginx::LexError> lex_errors;
    std::size_t base = stack_.size();
    std::vector<Token> args;
    nginx::lex(text(f), 4096, [&](std::vector<Token>& toks) { read_tokens(f, toks, args, base); }, lex_errors);
    bool swallowed = false;  // an unclosed string ate the rest: missing `}`/`;` at the end are its fault
    {
      std::vector<Diagnostic> later(rs_.parse_diags.begin() + static_cast<std::ptrdiff_t>(first_diag), rs_.parse_diags.end());
      rs_.parse_diags.resize(first_diag);
      for (const auto& e : lex_errors) {
        error(f, e.begin, e.end, e.message);
        swallowed |= e.runs_to_eof;
      }
      rs_.parse_diags.insert(rs_.parse_diags.end(), std::make_move_iterator(later.begin()), std::make_move_iterator(later.end()));
    }
    std::size_t eof = text(f).size();
    if (!args.empty() && !swallowed) error(f, args[0].begin, args.back().end, msg::eof_in_directive(args[0].value));
    while (stack_.size() > base) {
      const Frame& fr = stack_.back();
      if (fr.file == f && fr.directive != "{" && !swallowed)
        error(f, fr.begin, fr.begin + fr.directive.size(), msg::eof_in_block(fr.directive));
      Token end;
      end.begin = end.end = eof;
      close_block(f, end);
    }
  }

  /// Statements and blocks from one batch of tokens; `args` carries an unfinished statement over.
  void read_tokens(FileId f, std::vector<Token>& toks, std::vector<Token>& args, std::size_t base) {
    for (std::size_t i = 0; i < toks.size(); ++i) {
      Token& t = toks[i];
      switch (t.kind) {
        case TokKind::word:
          // `"a"b` (reported by the lexer): read as one argument, as the user probably meant.
          if (!args.empty() && args.back().quoted && args.back().end == t.begin && t.value[0] != ')') {
            args.back().value += t.value;
            args.back().end = t.end;
          } else {
            args.push_back(std::move(t));
          }
          break;
        case TokKind::semicolon:
          if (args.empty()) error_at(f, t, msg::unexpected(';'));
          else statement(f, args, t.end, false);
          args.clear();
          break;
        case TokKind::open: {
          // `\d{4}` unquoted: nginx ends the argument at `{` and starts a block. Report it once and
          // read the argument as the user meant it (the brace and the rest of the glued word).
          if (!args.empty() && i + 1 < toks.size() && toks[i + 1].kind == TokKind::word && args.back().end == t.begin &&
              toks[i + 1].begin == t.end && !toks[i + 1].quoted &&
              toks[i + 1].value.find('}') != std::string::npos) {
            error_at(f, t, msg::brace_in_argument(args[0].value));
            Token& last = args.back();
            last.value += "{" + toks[i + 1].value;
            last.end = toks[i + 1].end;
            ++i;
            break;
          }
          bool template_braces = i + 1 < toks.size() && toks[i + 1].kind == TokKind::open && toks[i + 1].begin == t.end;
          if (args.empty() || template_braces || is_simple_known(args[0].value)) {
            if (template_braces) error(f, t.begin, t.end + 1, msg::template_braces());
            else if (args.empty()) error_at(f, t, msg::unexpected('{'));
            else error(f, args[0].begin, t.end, msg::not_terminated(args[0].value));
            args.clear();
            i = skip_line(f, toks, i);
            break;
          }
          statement(f, args, t.end, true);
          args.clear();
          break;
        }
        case TokKind::close:
          if (!args.empty()) {
            error(f, args.back().end, t.end, msg::missing_semicolon_before_close(args[0].value));
            statement(f, args, args.back().end, false);
            args.clear();
          }
          if (stack_.size() <= base) {
            error_at(f, t, msg::unexpected_close_without_block());
          } else {
            close_block(f, t);
          }
          break;
      }
    }
  }

  /// Error recovery after a `{` that cannot open a block (toks[i]): the rest of its line is skipped;
  /// a line that ends with `{` opens a skipped block so that its closing `}` still balances.
  std::size_t skip_line(FileId f, const std::vector<Token>& toks, std::size_t i) {
    std::size_t eol = text(f).find('\n', toks[i].end);
    while (i + 1 < toks.size() && toks[i + 1].begin < eol) ++i;
    if (toks[i].kind == TokKind::open) push_broken(f, toks[i].begin, "{");
    return i;
  }

  Frame& top() { return stack_.back(); }

  void push_broken(FileId f, std::size_t begin, std::string directive) {
    Frame fr;
    fr.ctx = Ctx::broken;
    fr.file = f;
    fr.begin = begin;
    fr.directive = std::move(directive);
    stack_.push_back(std::move(fr));
  }

  int enclosing_block() const {
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
      if (it->block >= 0) return it->block;
    return -1;
  }
  int enclosing(BlockKind kind) const {
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
      if (it->block >= 0 && rs_.blocks[static_cast<std::size_t>(it->block)].kind == kind) return it->block;
    return -1;
  }

  int new_block(FileId f, const std::vector<Token>& args, std::size_t end, BlockKind kind) {
    Block b;
    b.kind = kind;
    b.parent = enclosing_block();
    b.directive = args[0].value;
    if (args.size() > 1) b.argument = raw(f, args[1].begin, args.back().end);
    b.where = files_.range(f, args[0].begin, end);
    rs_.blocks.push_back(std::move(b));
    return static_cast<int>(rs_.blocks.size() - 1);
  }

  void open(FileId f, const std::vector<Token>& args, Ctx ctx, int block, int map = -1) {
    if (static_cast<int>(stack_.size()) > opts_.max_depth) {
      if (!reported_depth_) error(f, args[0].begin, args[0].end, msg::too_deep(opts_.max_depth) + " (" + limit_hint(LimitId::nesting, static_cast<std::uint64_t>(opts_.max_depth)) + ")");
      reported_depth_ = true;
      push_broken(f, args[0].begin, args[0].value);
      return;
    }
    Frame fr;
    fr.ctx = ctx;
    fr.block = block;
    fr.file = f;
    fr.begin = args[0].begin;
    fr.directive = args[0].value;
    fr.map = map;
    stack_.push_back(std::move(fr));
  }

  void close_block(FileId f, const Token& close) {
    const Frame& fr = stack_.back();
    if (fr.block >= 0) {
      rs_.blocks[static_cast<std::size_t>(fr.block)].end = files_.range(f, close.begin, close.end);
      // Only statements inside a block ask for its match and conditions (here()): a million closed
      // locations must not keep theirs.
      loc_match_.erase(fr.block);
      loc_caps_.erase(fr.block);
      if_conds_.erase(fr.block);
      if_caps_.erase(fr.block);
    }
    if (fr.unmodelled >= 0) {
      // The whole block, braces included, so that an emitter can copy it unchanged.
      Unmodelled& u = rs_.unmodelled[static_cast<std::size_t>(fr.unmodelled)];
      u.where = files_.range(f, fr.begin, close.end);
      u.text = raw(f, fr.begin, close.end);
    }
    stack_.pop_back();
  }

  /// Opens a block whose contents are not interpreted, recorded whole as one Unmodelled entry.
  void open_kept_whole(FileId f, const std::vector<Token>& args, std::size_t end, Ctx ctx, int map = -1) {
    unmodelled(f, args, end);
    std::size_t depth = stack_.size();
    open(f, args, ctx, -1, map);
    if (stack_.size() > depth && stack_.back().ctx == ctx)
      stack_.back().unmodelled = static_cast<int>(rs_.unmodelled.size() - 1);
  }

  void unmodelled(FileId f, const std::vector<Token>& args, std::size_t end, bool relevant = false) {
    Unmodelled u;
    u.where = files_.range(f, args[0].begin, end);
    u.directive = args[0].value;
    u.text = raw(f, args[0].begin, end);
    u.block = enclosing_block();
    u.relevant = relevant;
    rs_.unmodelled.push_back(std::move(u));
  }

  void statement(FileId f, std::vector<Token>& args, std::size_t end, bool block) {
    Ctx ctx = top().ctx;
    const std::string& name = args[0].value;
    if (ctx == Ctx::broken || ctx == Ctx::data) {
      if (block) open(f, args, ctx, -1);
      return;
    }
    if (ctx == Ctx::map && name != "include") {
      if (block) {
        error(f, args[0].begin, end, msg::unexpected('{'));
        push_broken(f, args[0].begin, name);
        return;
      }
      map_entry(f, args, end);
      return;
    }
    if (block) {
      open_statement(f, args, end);
      return;
    }
    if (name == "server" || name == "location" || name == "if" || name == "http" || name == "map") {
      error(f, args[0].begin, end, msg::no_opening_brace(name));
      return;
    }
    if (name == "return") do_return(f, args, end);
    else if (name == "rewrite") do_rewrite(f, args, end);
    else if (name == "break") do_break(f, args, end);
    else if (name == "include") do_include(f, args, end);
    else if (name == "listen") do_listen(f, args, end);
    else if (name == "server_name") do_server_name(f, args, end);
    else if (name == "absolute_redirect" || name == "port_in_redirect" || name == "server_name_in_redirect" ||
             name == "merge_slashes")
      do_flag(f, args, end);
    else if ((name == "allow" || name == "deny") && args.size() == 2 && top().ctx != Ctx::cond)
      do_access(f, args, end);
    else if (name == "ssl" && args.size() == 2 && args[1].value == "on") set_https();
    else if (name == "set" && args.size() == 3 && args[1].value.size() > 1 && args[1].value[0] == '$' &&
             top().ctx != Ctx::http)
      do_set(f, args, end);
    else if (name == "error_page" && args.size() >= 3 && top().ctx != Ctx::cond)
      do_error_page(f, args, end);
    else if (name == "try_files" && args.size() >= 3 && top().ctx == Ctx::location)
      rs_.blocks[static_cast<std::size_t>(top().block)].try_files = templates_of(args_after_name(args));
    else {
      misspelt(f, args[0]);
      bool redirecting_error_page = name == "error_page" && std::any_of(args.begin(), args.end(), [](const Token& t) {
        return t.value.size() == 4 && t.value[0] == '=' && t.value[1] == '3';
      });
      unmodelled(f, args, end, name == "set" || redirecting_error_page || (name == "error_page" && has_url(args)));
      if (redirecting_error_page || (name == "error_page" && has_url(args)))
        diag("RL006", f, args[0].begin, end,
             "\"error_page\" that redirects is not modelled: requests it answers are not analysed");
    }
  }

  static bool has_url(const std::vector<Token>& args) {
    return std::any_of(args.begin(), args.end(),
                       [](const Token& t) { return starts_with(t.value, "http://") || starts_with(t.value, "https://"); });
  }

  void open_statement(FileId f, std::vector<Token>& args, std::size_t end) {
    const std::string& name = args[0].value;
    Ctx ctx = top().ctx;
    if (is_simple_known(name)) {
      error(f, args[0].begin, end, msg::not_terminated(name));
      push_broken(f, args[0].begin, name);
      return;
    }
    if (name == "http") {
      if (ctx != Ctx::main) return not_allowed(f, args, end, "here");
      open(f, args, Ctx::http, -1);
    } else if (name == "server") {
      if (ctx != Ctx::main && ctx != Ctx::http) return not_allowed(f, args, end, "here");
      if (args.size() != 1) {
        error(f, args[0].begin, end, msg::arg_count(name));
      }
      open(f, args, Ctx::server, new_block(f, args, end, BlockKind::server));
    } else if (name == "location") {
      if (ctx != Ctx::main && ctx != Ctx::server && ctx != Ctx::location) return not_allowed(f, args, end, "here");
      do_location(f, args, end);
    } else if (name == "if") {
      if (ctx != Ctx::main && ctx != Ctx::server && ctx != Ctx::location) return not_allowed(f, args, end, "here");
      do_if(f, args, end);
    } else if (name == "map") {
      if (ctx != Ctx::main && ctx != Ctx::http) return not_allowed(f, args, end, "here");
      do_map(f, args, end);
    } else {
      misspelt(f, args[0]);
      open_kept_whole(f, args, end, Ctx::data);
    }
  }

  void misspelt(FileId f, const Token& name) {
    const auto& known = redirect_directives();
    if (name.quoted || is_real_neighbour(name.value) ||
        std::find(known.begin(), known.end(), name.value) != known.end())
      return;
    // Strict (one edit per 4 characters): third-party modules have many directives redirlint does not know.
    if (name.value.size() > 64) return;
    std::string_view best;
    for (std::string_view k : known)
      if (osa_distance(name.value, k) <= std::max<std::size_t>(1, name.value.size() / 4)) {
        best = k;
        break;
      }
    if (!best.empty())
      diag("RL002", f, name.begin, name.end, "unknown directive " + msg::quote(name.value) + "; did you mean \"" + std::string(best) + "\"?");
  }

  void not_allowed(FileId f, const std::vector<Token>& args, std::size_t end, std::string_view where) {
    std::string in = top().directive.empty() ? std::string("at the top level") : "inside \"" + top().directive + "\"";
    error(f, args[0].begin, end, msg::not_allowed_here(args[0].value, where == "here" ? in : where));
    push_broken(f, args[0].begin, args[0].value);
  }

  // ---- regexes -----------------------------------------------------------------------------
  /// Compiles the value of `t` (from character `skip`); RL003 at the column PCRE2 names.
  std::optional<Regex> compile(FileId f, const Token& t, std::size_t skip, std::string_view pattern, bool icase) {
    RegexError err;
    auto re = Regex::compile(pattern, icase, &err);
    if (!re) {
      std::size_t at = nginx::value_offset(text(f), t, skip + err.offset);
      diag("RL003", f, at, std::min(at + 1, t.end),
           "PCRE2 rejects " + msg::quote(pattern) + ": " + err.message + " at offset " + std::to_string(err.offset));
    } else {
      for (const auto& [n, num] : re->names()) capture_names_.insert(lower(n));
    }
    return re;
  }

  /// The captures of regex `pattern` (the value of `t` from character `skip`) into `caps`; false (and
  /// RL003) when PCRE2 rejects it. Plain patterns are not compiled (quick_regex.hpp).
  bool checked_captures(FileId f, const Token& t, std::size_t skip, std::string_view pattern, bool icase, char prefix,
                        nginx::Captures& caps) {
    int groups = 0;
    if (quick_valid_regex(pattern, groups)) {
      caps = nginx::Captures{};
      caps.prefix = prefix;
      caps.count = groups;
      return true;
    }
    auto re = compile(f, t, skip, pattern, icase);
    if (re) caps = captures_of(*re, prefix);
    return re.has_value();
  }

  static nginx::Captures captures_of(const Regex& re, char prefix) {
    nginx::Captures c;
    c.prefix = prefix;
    c.count = static_cast<int>(re.capture_count());
    c.names = re.names();
    return c;
  }

  std::string translate(FileId f, const Token& t, std::size_t skip, std::string_view value, const nginx::Captures& caps) {
    std::vector<nginx::BadCapture> bad;
    std::string out = nginx::to_template(value, caps, &bad);
    for (const auto& b : bad) {
      std::size_t at = nginx::value_offset(text(f), t, skip + b.index);
      std::size_t e = nginx::value_offset(text(f), t, skip + b.index + b.length);
      diag("RL005", f, at, e,
           "\"$" + std::to_string(b.number) + "\" refers to group " + std::to_string(b.number) + " but " +
               (caps.prefix == '%' ? "the if condition's regex" : "the regex") + " has " +
               std::to_string(caps.count) + (caps.count == 1 ? " group" : " groups"));
    }
    return out;
  }

  // ---- location / if / server --------------------------------------------------------------
  void do_location(FileId f, std::vector<Token>& args, std::size_t end) {
    if (args.size() != 2 && args.size() != 3) {
      error(f, args[0].begin, end, msg::arg_count("location"));
      push_broken(f, args[0].begin, "location");
      return;
    }
    LocationMod mod = LocationMod::none;
    std::string path;
    std::size_t skip = 0;
    const Token& pt = args.back();
    if (args.size() == 3) {
      const std::string& m = args[1].value;
      if (m == "=") mod = LocationMod::exact;
      else if (m == "^~") mod = LocationMod::prefix_noregex;
      else if (m == "~") mod = LocationMod::regex;
      else if (m == "~*") mod = LocationMod::regex_nocase;
      else {
        error_at(f, args[1], "invalid location modifier " + msg::quote(m));
        push_broken(f, args[0].begin, "location");
        return;
      }
      path = pt.value;
    } else {
      const std::string& v = pt.value;
      if (starts_with(v, "=")) mod = LocationMod::exact, skip = 1;
      else if (starts_with(v, "^~")) mod = LocationMod::prefix_noregex, skip = 2;
      else if (starts_with(v, "~*")) mod = LocationMod::regex_nocase, skip = 2;
      else if (starts_with(v, "~")) mod = LocationMod::regex, skip = 1;
      else if (starts_with(v, "@")) mod = LocationMod::named;
      path = v.substr(skip);
    }
    int idx = new_block(f, args, end, BlockKind::location);
    Block& b = rs_.blocks[static_cast<std::size_t>(idx)];
    b.mod = mod;
    b.path = path;
    Pattern p;
    p.original = raw(f, pt.begin, pt.end);
    nginx::Captures caps;
    caps.count = 0;
    switch (mod) {
      case LocationMod::exact:
        p.kind = MatchKind::exact;
        p.text = path;
        break;
      case LocationMod::none:
      case LocationMod::prefix_noregex:
        p.kind = MatchKind::regex;
        p.text = "^" + regex_escape(path);
        break;
      case LocationMod::regex:
      case LocationMod::regex_nocase: {
        p.kind = MatchKind::regex;
        p.text = path;
        p.ignore_case = mod == LocationMod::regex_nocase;
        if (!checked_captures(f, pt, skip, path, p.ignore_case, '$', caps)) caps.count = -1;
        break;
      }
      case LocationMod::named:
        // Reached only through try_files/error_page: never by a request path (no leading '/').
        p.kind = MatchKind::exact;
        p.text = path;
        break;
    }
    loc_match_[idx] = p;
    loc_caps_[idx] = caps;
    open(f, args, Ctx::location, idx);
  }

  void do_if(FileId f, std::vector<Token>& args, std::size_t end) {
    std::vector<Condition> conds;
    nginx::Captures caps;
    if (!parse_condition(f, args, end, conds, caps)) {
      push_broken(f, args[0].begin, "if");
      return;
    }
    int idx = new_block(f, args, end, BlockKind::condition);
    if_conds_[idx] = std::move(conds);
    if_caps_[idx] = caps;
    open(f, args, Ctx::cond, idx);
  }

  /// ngx_http_rewrite_if_condition(): `(`, then `$var [op value]` or `[!]-f|-d|-e|-x path`, then `)`.
  bool parse_condition(FileId f, const std::vector<Token>& args, std::size_t end, std::vector<Condition>& out,
                       nginx::Captures& caps) {
    auto invalid = [&](const Token& t) {
      error_at(f, t, "invalid condition " + msg::quote(t.value));
      return false;
    };
    if (args.size() < 2) {
      error(f, args[0].begin, end, msg::arg_count("if"));
      return false;
    }
    std::vector<std::string> v;
    for (std::size_t i = 1; i < args.size(); ++i) v.push_back(args[i].value);
    std::size_t cur = 0, last = v.size() - 1;
    if (v[0].empty() || v[0][0] != '(') return invalid(args[1]);
    if (v[0].size() == 1) cur = 1;
    else v[0].erase(0, 1);
    if (v[last].empty() || v[last].back() != ')') return invalid(args[last + 1]);
    if (v[last].size() == 1) {
      if (last == 0) return invalid(args[1]);
      --last;
    } else {
      v[last].pop_back();
    }
    if (cur > last) return invalid(args[1]);
    Condition c;
    c.where = files_.range(f, args[1].begin, args.back().end);
    c.original = raw(f, args[1].begin, args.back().end);
    nginx::Captures plain;
    plain.count = -1;
    const std::string& s = v[cur];
    const Token& st = args[cur + 1];
    if (s.size() > 1 && s[0] == '$') {
      if (cur != last && cur + 2 != last) return invalid(st);
      c.test = nginx::to_template(s, plain);
      if (cur == last) {
        c.op = CondOp::truthy;
        out.push_back(std::move(c));
        return true;
      }
      const std::string& op = v[cur + 1];
      const std::string& val = v[last];
      const Token& vt = args[last + 1];
      if (op == "=" || op == "!=") {
        c.op = CondOp::equal;
        c.pattern.kind = MatchKind::exact;
        c.pattern.text = val;
        c.pattern.negated = op == "!=";
        c.pattern.original = raw(f, vt.begin, vt.end);
      } else if (op == "~" || op == "~*" || op == "!~" || op == "!~*") {
        c.op = CondOp::regex;
        c.pattern.kind = MatchKind::regex;
        c.pattern.text = val;
        c.pattern.ignore_case = op.back() == '*';
        c.pattern.negated = op[0] == '!';
        c.pattern.original = raw(f, vt.begin, vt.end);
        auto re = compile(f, vt, 0, val, c.pattern.ignore_case);
        if (re && !c.pattern.negated) caps = captures_of(*re, '%');
      } else {
        error_at(f, args[cur + 2], "unexpected " + msg::quote(op) + " in condition");
        return false;
      }
      out.push_back(std::move(c));
      return true;
    }
    if ((s.size() == 2 && s[0] == '-') || (s.size() == 3 && s[0] == '!' && s[1] == '-')) {
      if (cur + 1 != last) return invalid(st);
      char op = s.back();
      if (op == 'f') c.op = CondOp::file_exists;
      else if (op == 'd') c.op = CondOp::dir_exists;
      else if (op == 'e') c.op = CondOp::exists;
      else if (op == 'x') c.op = CondOp::executable;
      else return invalid(st);
      c.pattern.negated = s[0] == '!';
      c.test = nginx::to_template(v[last], plain);
      out.push_back(std::move(c));
      return true;
    }
    return invalid(st);
  }

  Block* current_server() {
    int s = enclosing(BlockKind::server);
    return s >= 0 ? &rs_.blocks[static_cast<std::size_t>(s)] : nullptr;
  }

  void set_https() {
    if (Block* b = current_server()) {
      b->https = true;
      listens_[enclosing(BlockKind::server)].ssl_on = true;
    }
  }

  void do_listen(FileId f, const std::vector<Token>& args, std::size_t end) {
    Block* b = current_server();
    if (args.size() < 2) {
      error(f, args[0].begin, end, msg::arg_count("listen"));
      return;
    }
    if (!b) return unmodelled(f, args, end);
    const std::string& addr = args[1].value;
    if (starts_with(addr, "unix:")) return;  // a socket: no port, no scheme of its own
    int port = 80;
    {
      std::string p = addr;
      auto close = addr.rfind(']');
      auto colon = addr.rfind(':');
      if (close != std::string::npos) p = colon != std::string::npos && colon > close ? addr.substr(colon + 1) : "";
      else if (colon != std::string::npos) p = addr.substr(colon + 1);
      else if (!is_digits(addr)) p = "";
      if (is_digits(p) && p.size() <= 5) port = std::stoi(p);
      else if (!p.empty() || (close == std::string::npos && colon != std::string::npos)) {
        error_at(f, args[1], "invalid port in " + msg::quote(addr) + " of the \"listen\" directive");
        return;
      }
    }
    if (std::find(b->ports.begin(), b->ports.end(), port) == b->ports.end()) b->ports.push_back(port);
    bool ssl = port == 443;
    for (std::size_t i = 2; i < args.size(); ++i) {
      if (args[i].value == "ssl") ssl = true;
      if (args[i].value == "default_server" || args[i].value == "default") b->default_server = true;
    }
    if (ssl) b->https = true;
    Listens& l = listens_[enclosing(BlockKind::server)];
    (ssl ? l.ssl : l.plain) = true;
  }

  void do_server_name(FileId f, const std::vector<Token>& args, std::size_t end) {
    Block* b = current_server();
    if (!b) return unmodelled(f, args, end);
    std::size_t bi = static_cast<std::size_t>(b - rs_.blocks.data());
    for (std::size_t i = 1; i < args.size(); ++i) {
      const std::string& n = args[i].value;
      if (!n.empty() && n[0] == '~') {
        // Server name regexes are matched case-insensitively by nginx (ngx_http_server_names()).
        compile(f, args[i], 1, std::string_view(n).substr(1), true);
        rs_.blocks[bi].server_names.push_back(n);
      } else {
        rs_.blocks[bi].server_names.push_back(lower(n));
      }
    }
  }

  void do_flag(FileId f, const std::vector<Token>& args, std::size_t end) {
    if (args.size() != 2 || (args[1].value != "on" && args[1].value != "off")) {
      error(f, args[0].begin, end,
            "invalid value in " + msg::quote(args[0].value) + " directive, it must be \"on\" or \"off\"");
      return;
    }
    bool on = args[1].value == "on";
    std::optional<bool>* slot = nullptr;
    int bi = -1;
    for (auto it = stack_.rbegin(); it != stack_.rend() && bi < 0; ++it)
      if (it->ctx == Ctx::server || it->ctx == Ctx::location) bi = it->block;
    const std::string& n = args[0].value;
    if (n == "merge_slashes") {
      // A server setting (nginx refuses it in a location).
      int s = enclosing(BlockKind::server);
      (s >= 0 ? rs_.blocks[static_cast<std::size_t>(s)].merge_slashes : rs_.merge_slashes) = on;
      return;
    }
    if (bi >= 0) {
      Block& b = rs_.blocks[static_cast<std::size_t>(bi)];
      slot = n == "absolute_redirect" ? &b.absolute_redirect
             : n == "port_in_redirect" ? &b.port_in_redirect
                                       : &b.server_name_in_redirect;
    } else {
      slot = n == "absolute_redirect" ? &rs_.absolute_redirect
             : n == "port_in_redirect" ? &rs_.port_in_redirect
                                       : &rs_.server_name_in_redirect;
    }
    *slot = on;
  }

  static std::vector<std::string> args_after_name(const std::vector<Token>& args) {
    std::vector<std::string> out;
    for (std::size_t i = 1; i < args.size(); ++i) out.push_back(args[i].value);
    return out;
  }

  /// nginx values as Target templates (variables as ${...}); no captures are known there.
  static std::vector<std::string> templates_of(std::vector<std::string> values) {
    nginx::Captures none;
    none.count = -1;
    for (std::string& v : values) v = nginx::to_template(v, none);
    return values;
  }

  /// `error_page CODE... [=[N]] URI`: kept on the innermost server/location (the simulator answers with it).
  void do_error_page(FileId f, const std::vector<Token>& args, std::size_t end) {
    (void)f, (void)end;
    std::string entry;
    for (const std::string& a : templates_of(args_after_name(args))) entry += (entry.empty() ? "" : " ") + a;
    int bi = -1;
    for (auto it = stack_.rbegin(); it != stack_.rend() && bi < 0; ++it)
      if (it->ctx == Ctx::server || it->ctx == Ctx::location) bi = it->block;
    if (bi >= 0) rs_.blocks[static_cast<std::size_t>(bi)].error_pages.push_back(entry);
    else rs_.error_pages.push_back(entry);
  }

  /// `allow`/`deny ADDR` (ngx_http_access_module): kept in order on the innermost server/location. Only
  /// `all` is decided by the simulator; a rule naming addresses makes the answer unknown (RL006).
  void do_access(FileId f, const std::vector<Token>& args, std::size_t end) {
    int bi = -1;
    for (auto it = stack_.rbegin(); it != stack_.rend() && bi < 0; ++it)
      if (it->ctx == Ctx::server || it->ctx == Ctx::location) bi = it->block;
    std::string entry = args[0].value + " " + args[1].value;
    if (bi >= 0) rs_.blocks[static_cast<std::size_t>(bi)].access.push_back(entry);
    else rs_.access.push_back(entry);
    if (args[1].value != "all") {
      unmodelled(f, args, end, true);
      diag("RL006", f, args[0].begin, end,
           "\"" + args[0].value + "\" for an address is not modelled (the client's address is not known): "
           "requests that reach it are answered \"unknown\"");
    }
  }

  // ---- rules -------------------------------------------------------------------------------
  /// The scope, conditions and "what captures mean" at the current point.
  struct Here {
    Scope scope;
    std::vector<Condition> conds;
    Pattern location_match;     ///< what a return here matches
    nginx::Captures caps;       ///< what $N in a return means here
  };

  Here here() const {
    Here h;
    h.scope.block = enclosing_block();
    h.scope.server = enclosing(BlockKind::server);
    h.location_match.kind = MatchKind::regex;
    h.location_match.text = "^/";
    h.caps.count = -1;
    int loc = enclosing(BlockKind::location);
    if (loc >= 0) {
      h.location_match = loc_match_.at(loc);
      h.caps = loc_caps_.at(loc);
      // Captures of a prefix location are unknown (an earlier rewrite may have set them).
      LocationMod m = rs_.blocks[static_cast<std::size_t>(loc)].mod;
      if (m != LocationMod::regex && m != LocationMod::regex_nocase) h.caps.count = -1;
    }
    for (const Frame& fr : stack_) {
      if (fr.ctx != Ctx::cond) continue;
      const auto& cs = if_conds_.at(fr.block);
      h.conds.insert(h.conds.end(), cs.begin(), cs.end());
      const auto& ic = if_caps_.at(fr.block);
      if (ic.count >= 0) h.caps = ic;
    }
    return h;
  }

  Rule base_rule(FileId f, const std::vector<Token>& args, std::size_t end, const Here& h) {
    Rule r;
    r.where = files_.range(f, args[0].begin, end);
    r.origin.format = Format::nginx;
    r.origin.directive = args[0].value;
    r.scope = h.scope;
    r.conds = h.conds;
    r.original = raw(f, args[0].begin, end);
    return r;
  }

  bool allowed_rewrite_context(FileId f, const std::vector<Token>& args, std::size_t end) {
    Ctx c = top().ctx;
    if (c == Ctx::main || c == Ctx::server || c == Ctx::location || c == Ctx::cond) return true;
    error(f, args[0].begin, end, msg::not_allowed_here(args[0].value, "inside \"" + top().directive + "\""));
    return false;
  }

  void do_return(FileId f, const std::vector<Token>& args, std::size_t end) {
    if (!allowed_rewrite_context(f, args, end)) return;
    if (args.size() < 2 || args.size() > 3) {
      error(f, args[0].begin, end, msg::arg_count("return"));
      return;
    }
    Here h = here();
    Rule r = base_rule(f, args, end, h);
    r.match = h.location_match;
    r.flow = Flow::stop;
    const Token& first = args[1];
    const Token* url = nullptr;
    if (is_digits(first.value) && first.value.size() <= 9 && std::stol(first.value) <= 999) {
      r.status = static_cast<int>(std::stol(first.value));
      if (args.size() == 3) url = &args[2];
    } else if (is_digits(first.value)) {
      diag("RL004", f, first.begin, first.end, "invalid return code " + msg::quote(first.value) + ": nginx allows 0..999");
      return;
    } else if (args.size() == 2 && (starts_with(first.value, "http://") || starts_with(first.value, "https://") ||
                                    starts_with(first.value, "$scheme"))) {
      r.status = 302;
      r.status_implicit = true;
      url = &first;
    } else {
      diag("RL004", f, first.begin, first.end,
           "invalid return code " + msg::quote(first.value) +
               ": a URL without a code must start with \"http://\", \"https://\" or \"$scheme\"");
      return;
    }
    bool redirect = r.status == 301 || r.status == 302 || r.status == 303 || r.status == 307 || r.status == 308;
    if (!redirect || !url) {
      r.action = Action::answer;
    } else {
      r.action = Action::redirect;
      Target t;
      t.url = translate(f, *url, 0, url->value, h.caps);
      t.query = QueryMode::drop;
      for (std::string_view suffix : {"${is_args}${query}", "?${query}"})
        if (ends_with(t.url, suffix)) {
          t.url.resize(t.url.size() - suffix.size());
          t.query = QueryMode::keep;
          t.query_mark_always = suffix.front() == '?';
          break;
        }
      t.absolute = starts_with(t.url, "http://") || starts_with(t.url, "https://") || starts_with(t.url, "${scheme}://");
      r.target = std::move(t);
    }
    add_rule(std::move(r), true);
  }

  void do_rewrite(FileId f, const std::vector<Token>& args, std::size_t end) {
    if (!allowed_rewrite_context(f, args, end)) return;
    if (args.size() != 3 && args.size() != 4) {
      error(f, args[0].begin, end, msg::arg_count("rewrite"));
      return;
    }
    Here h = here();
    Rule r = base_rule(f, args, end, h);
    const Token& rt = args[1];
    r.match.kind = MatchKind::regex;
    r.match.text = rt.value;
    r.match.original = raw(f, rt.begin, rt.end);
    nginx::Captures caps;
    caps.count = -1;
    checked_captures(f, rt, 0, rt.value, false, '$', caps);
    std::string flag = args.size() == 4 ? args[3].value : "";
    if (!flag.empty() && flag != "last" && flag != "break" && flag != "redirect" && flag != "permanent") {
      error_at(f, args[3], msg::invalid_parameter(flag));
      return;
    }
    const Token& tt = args[2];
    std::string v = tt.value;
    QueryMode q = QueryMode::keep;
    if (!v.empty() && v.back() == '?') {
      v.pop_back();
      q = v.find('?') != std::string::npos ? QueryMode::replace : QueryMode::drop;
    } else if (v.find('?') != std::string::npos) {
      q = QueryMode::append;
    }
    Target t;
    t.url = translate(f, tt, 0, v, caps);
    t.query = q;
    bool absolute = starts_with(tt.value, "http://") || starts_with(tt.value, "https://") ||
                    starts_with(tt.value, "$scheme");
    t.absolute = absolute;
    if (flag == "redirect" || flag == "permanent" || absolute) {
      r.action = Action::redirect;
      r.status = flag == "permanent" ? 301 : 302;
      r.status_implicit = flag != "redirect" && flag != "permanent";
      r.flow = Flow::stop;
    } else {
      r.action = Action::rewrite;
      r.status = 0;
      r.flow = flag == "last" ? Flow::restart : flag == "break" ? Flow::end : Flow::next;
    }
    r.target = std::move(t);
    static const std::string_view kAll[] = {"^", "^/", "^(.*)$", "^/(.*)$", "^(.*)", ".*", "(.*)", "^.*$", "^.*"};
    bool all = std::find(std::begin(kAll), std::end(kAll), rt.value) != std::end(kAll) &&
               r.target->url.find('$') == std::string::npos;
    add_rule(std::move(r), all);
  }

  /// `set $var value`: a rule the simulator runs in order (target = the value's template); it answers nothing.
  void do_set(FileId f, const std::vector<Token>& args, std::size_t end) {
    if (!allowed_rewrite_context(f, args, end)) return;
    set_vars_.emplace(lower(std::string_view(args[1].value).substr(1)), files_.range(f, args[0].begin, end));
    Here h = here();
    Rule r = base_rule(f, args, end, h);
    r.match = h.location_match;
    r.action = Action::none;
    r.flow = Flow::next;
    Target t;
    t.url = translate(f, args[2], 0, args[2].value, h.caps);
    t.query = QueryMode::keep;
    r.target = std::move(t);
    add_rule(std::move(r), true);
  }

  void do_break(FileId f, const std::vector<Token>& args, std::size_t end) {
    if (!allowed_rewrite_context(f, args, end)) return;
    if (args.size() != 1) {
      error(f, args[0].begin, end, msg::arg_count("break"));
      return;
    }
    Here h = here();
    Rule r = base_rule(f, args, end, h);
    r.match = h.location_match;
    r.action = Action::none;
    r.flow = Flow::end;
    add_rule(std::move(r), true);
  }

  // ---- map ---------------------------------------------------------------------------------
  void do_map(FileId f, std::vector<Token>& args, std::size_t end) {
    if (args.size() != 3) {
      error(f, args[0].begin, end, msg::arg_count("map"));
      push_broken(f, args[0].begin, "map");
      return;
    }
    const std::string& var = args[2].value;
    if (var.size() < 2 || var[0] != '$') {
      error_at(f, args[2], "invalid variable name " + msg::quote(var));
      push_broken(f, args[0].begin, "map");
      return;
    }
    MapDef m;
    m.source = args[1].value;
    m.var = lower(std::string_view(var).substr(1));
    maps_.push_back(std::move(m));
    open_kept_whole(f, args, end, Ctx::map, static_cast<int>(maps_.size() - 1));
  }

  void map_entry(FileId f, std::vector<Token>& args, std::size_t end) {
    MapDef& m = maps_[static_cast<std::size_t>(top().map)];
    const std::string& k = args[0].value;
    if (args.size() == 1 && (k == "hostnames" || k == "volatile")) {
      if (k == "hostnames") m.hostnames = true;
      return;
    }
    if (args.size() != 2) {
      error(f, args[0].begin, end, "invalid number of the map parameters");
      return;
    }
    if (k == "default") {
      m.fallback = args[1].value;
      return;
    }
    MapEntry e;
    e.value = args[1].value;
    e.original = raw(f, args[0].begin, end);
    e.where = files_.range(f, args[0].begin, end);
    std::size_t skip = 0;
    if (starts_with(k, "~*")) e.regex = e.icase = true, skip = 2;
    else if (starts_with(k, "~")) e.regex = true, skip = 1;
    else if (starts_with(k, "\\")) skip = 1;
    e.key = k.substr(skip);
    if (e.regex && !compile(f, args[0], skip, e.key, e.icase)) return;
    m.entries.push_back(std::move(e));
  }

  // ---- include -----------------------------------------------------------------------------
  void do_include(FileId f, const std::vector<Token>& args, std::size_t end) {
    if (args.size() != 2) {
      error(f, args[0].begin, end, msg::arg_count("include"));
      return;
    }
    // A file included from several places reports its own include's problems once.
    if (!include_reported_.insert({f, args[0].begin}).second) {
      replay_include(f, args, end);
      return;
    }
    const std::string& pat = args[1].value;
    namespace fs = std::filesystem;
    // nginx resolves a relative include against its configuration prefix (the directory of nginx.conf,
    // `nginx -p/-c`), not against the including file (checked with nginx 1.22: an include in
    // sites/site.conf of snippets/x.conf opens conf/snippets/x.conf).
    std::string full = fs::path(pat).is_absolute() || prefix_dir() == "." ? pat : (fs::path(prefix_dir()) / pat).string();
    std::vector<std::string> paths;
    if (has_glob(pat)) {
      glob_t g{};
      if (::glob(full.c_str(), 0, nullptr, &g) == 0)
        for (std::size_t i = 0; i < g.gl_pathc; ++i) paths.emplace_back(g.gl_pathv[i]);
      ::globfree(&g);
    } else {
      std::error_code ec;
      if (fs::exists(full, ec)) paths.push_back(full);
    }
    if (paths.empty()) {
      unmodelled(f, args, end, true);
      diag("RL006", f, args[0].begin, end,
           std::string(has_glob(pat) ? "include pattern " : "included file ") + msg::quote(pat) +
               (has_glob(pat) ? " matches no file" : " not found") + " in " + msg::quote(prefix_dir()) +
               " (nginx resolves relative includes against its configuration directory: --nginx-prefix DIR names "
               "the local copy); its rules are not checked");
      return;
    }
    std::sort(paths.begin(), paths.end());  // nginx uses glob(3), which sorts
    std::vector<FileId> ids;
    std::size_t over = 0;
    for (const std::string& p : paths) {
      if (includes_read_ >= kMaxIncludedFiles) {
        ++over;
        continue;
      }
      if (auto id = load_include(f, args, end, p)) ids.push_back(*id), ++includes_read_;
    }
    if (over)
      error(f, args[0].begin, end,
            "more than " + std::to_string(kMaxIncludedFiles) + " included files in one configuration: " +
                std::to_string(over) + " file(s) of this include are not read (a fixed limit of redirlint)");
    include_ids_[{f, args[0].begin}] = ids;
    for (FileId id : ids) read_include(f, args, end, id);
  }

  // The same include met again (its file included twice): read the files it loaded the first time.
  void replay_include(FileId f, const std::vector<Token>& args, std::size_t end) {
    auto it = include_ids_.find({f, args[0].begin});
    if (it == include_ids_.end()) return;
    std::vector<FileId> ids = it->second;
    for (FileId id : ids) read_include(f, args, end, id);
  }

  std::string prefix_dir() const {
    if (!opts_.nginx_prefix.empty()) return opts_.nginx_prefix;
    return root_dir_.empty() ? std::string(".") : root_dir_;
  }

  // Includes must stay in the tree of the file being checked (or --include-root): a config from a pull
  // request must not make redirlint read, or quote, /etc/shadow or ../../secret/env.
  const std::string& include_root() {
    if (include_root_.empty()) {
      namespace fs = std::filesystem;
      std::error_code ec;
      std::string r = !opts_.include_root.empty() ? opts_.include_root : prefix_dir();
      include_root_ = fs::weakly_canonical(fs::absolute(r, ec), ec).string();
      if (include_root_.empty()) include_root_ = "/";
    }
    return include_root_;
  }

  static bool inside(const std::string& path, const std::string& root) {
    if (root == "/") return true;
    return path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/';
  }

  // Loads one file an include names (nothing parsed yet); nullopt, and a diagnostic, when it cannot.
  std::optional<FileId> load_include(FileId f, const std::vector<Token>& args, std::size_t end, const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::string key = fs::weakly_canonical(fs::absolute(path, ec), ec).string();
    if (ec || key.empty()) key = path;
    if (!inside(key, include_root())) {
      // Never read (nor quoted): it may be any file of the machine. Real configs include /etc/nginx/mime.types
      // and the like, which nginx reads fine, so this is a note that its rules are not checked, not an error.
      unmodelled(f, args, end, true);
      diag("RL006", f, args[0].begin, end,
           "included file " + msg::quote(path) + " is outside " + msg::quote(include_root()) +
               " and is not read (--include-root DIR allows includes under DIR); its rules are not checked");
      return std::nullopt;
    }
    auto it = loaded_.find(key);
    if (it != loaded_.end()) return it->second;
    if (key == fs::weakly_canonical(fs::absolute(files_.path(root_), ec), ec).string()) return root_;
    std::string why;
    FileId id = 0;
    switch (files_.load(path, id, why, opts_.max_file_bytes)) {
      case ReadStatus::ok:
        loaded_[key] = id;
        rs_.files.push_back(id);
        return id;
      case ReadStatus::too_large:
        error(f, args[0].begin, end, "included file " + msg::quote(path) + " is larger than the limit; not read (" +
                                         limit_hint(LimitId::file_bytes, opts_.max_file_bytes) + ")");
        return std::nullopt;
      case ReadStatus::not_regular:
        // nginx -t fails on it too (it cannot read a directory or a device as a configuration file).
        error(f, args[0].begin, end, "included path " + msg::quote(path) + " " + why + "; not read");
        return std::nullopt;
      case ReadStatus::error: break;
    }
    unmodelled(f, args, end, true);
    diag("RL006", f, args[0].begin, end, "cannot read included file " + msg::quote(path) + ": " + why);
    return std::nullopt;
  }

  void read_include(FileId f, const std::vector<Token>& args, std::size_t end, FileId id) {
    bool cycle = id == root_ || std::find(include_chain_.begin(), include_chain_.end(), id) != include_chain_.end();
    if (cycle) {
      error(f, args[0].begin, end, "include cycle: " + msg::quote(files_.path(id)) + " is already being read");
      return;
    }
    if (static_cast<int>(include_chain_.size()) >= opts_.max_include_depth) {
      error(f, args[0].begin, end, "includes nested too deep; not read (" +
                                       limit_hint(LimitId::include_depth, static_cast<std::uint64_t>(opts_.max_include_depth)) + ")");
      return;
    }
    include_chain_.push_back(id);
    read_file(id);
    include_chain_.pop_back();
  }

  // ---- end of input --------------------------------------------------------------------------
  const MapDef* find_map(const std::string& test) const {
    if (!starts_with(test, "${var:") || test.back() != '}') return nullptr;
    std::string name = test.substr(6, test.size() - 7);
    for (auto it = maps_.rbegin(); it != maps_.rend(); ++it)
      if (it->var == name) return &*it;
    return nullptr;
  }

  static void replace_all(std::string& s, std::string_view what, std::string_view with) {
    for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + with.size()))
      s.replace(p, what.size(), with);
  }

  /// A condition that holds exactly when a variable is set: `if ($v)` or `if ($v != "")`.
  static bool map_test(const Condition& c) {
    return c.op == CondOp::truthy || (c.op == CondOp::equal && c.pattern.negated && c.pattern.text.empty());
  }

  /// `if ($new) { return 301 $new; }` with `map $uri $new {...}`: one literal rule per map entry.
  bool expand_map(const Pending& pr, std::vector<Rule>& out) {
    const Rule& r = pr.rule;
    for (std::size_t ci = 0; ci < r.conds.size(); ++ci) {
      const Condition& c = r.conds[ci];
      if (!map_test(c)) continue;
      const bool zero_is_false = c.op == CondOp::truthy;  // `if ($new)`; `if ($new != "")` takes "0"
      const MapDef* m = find_map(c.test);
      if (!m) continue;
      nginx::Captures none;
      none.count = -1;
      std::string source = nginx::to_template(m->source, none);
      bool as_match = pr.match_is_all && source == "${uri}" && !m->hostnames;
      auto make = [&](const MapEntry* e, const std::string& value, std::optional<Pattern> host_key = std::nullopt) {
        if (value.empty() || (zero_is_false && value == "0")) return;  // the if is false for this entry
        Rule x = r;
        x.conds.erase(x.conds.begin() + static_cast<std::ptrdiff_t>(ci));
        nginx::Captures caps;
        caps.prefix = as_match ? '$' : '%';
        std::string v = nginx::to_template(value, caps);
        if (x.target) replace_all(x.target->url, c.test, v);
        if (e) {
          x.where = e->where;
          x.original = e->original;
          Pattern p;
          p.kind = e->regex ? MatchKind::regex : MatchKind::exact;
          p.text = e->key;
          p.ignore_case = e->icase || !e->regex;
          if (host_key) p = *host_key;
          p.original = e->original;
          if (as_match) {
            x.match = p;
          } else {
            Condition kc;
            kc.test = source;
            kc.op = p.kind == MatchKind::regex ? CondOp::regex : CondOp::equal;
            kc.pattern = p;
            kc.where = c.where;
            kc.original = e->original;
            x.conds.insert(x.conds.begin() + static_cast<std::ptrdiff_t>(ci), std::move(kc));
          }
        }
        if (x.target)
          x.target->absolute = starts_with(x.target->url, "http://") || starts_with(x.target->url, "https://") ||
                               starts_with(x.target->url, "${scheme}://");
        out.push_back(std::move(x));
      };
      // nginx tries the exact strings first, then (hostnames) the longest `*.x`/`.x`, then the longest
      // `x.*`, then the regexes in order, then `default`.
      if (m->hostnames) {
        std::vector<std::pair<const MapEntry*, Pattern>> heads, tails;
        for (const MapEntry& e : m->entries) {
          if (e.regex) continue;
          std::string k = lower(e.key);
          Pattern p;
          p.kind = MatchKind::regex;
          p.ignore_case = true;
          if (starts_with(k, ".") || starts_with(k, "*.")) {
            std::string rest = k.substr(k[0] == '.' ? 1 : 2);
            p.text = "^.+\\." + regex_escape(rest) + "$";
            heads.emplace_back(&e, p);
            if (k[0] == '.') {
              Pattern x;
              x.kind = MatchKind::exact;
              x.text = rest;
              x.ignore_case = true;
              make(&e, e.value, x);
            }
          } else if (ends_with(k, ".*")) {
            p.text = "^" + regex_escape(k.substr(0, k.size() - 1)) + ".+$";
            tails.emplace_back(&e, p);
          } else {
            make(&e, e.value);
          }
        }
        auto longest = [](const auto& a, const auto& b) { return a.second.text.size() > b.second.text.size(); };
        std::stable_sort(heads.begin(), heads.end(), longest);
        std::stable_sort(tails.begin(), tails.end(), longest);
        for (auto& [e, p] : heads) make(e, e->value, p);
        for (auto& [e, p] : tails) make(e, e->value, p);
      }
      for (const MapEntry& e : m->entries)
        if (!e.regex && !m->hostnames) make(&e, e.value);
      for (const MapEntry& e : m->entries)
        if (e.regex) make(&e, e.value);
      if (m->fallback) make(nullptr, *m->fallback);
      return true;
    }
    return false;
  }

  /// One syntax error per line is enough: the others on that line are consequences of the first
  /// found (lexical errors are found first: they are the cause).
  /// At most kMaxErrorsPerFile syntax errors per file are kept (binary junk would give one per byte).
  void dedupe_line_errors() {
    constexpr std::size_t kMaxErrorsPerFile = 200;
    std::set<std::pair<FileId, std::uint32_t>> seen;
    std::map<FileId, std::size_t> per_file;
    std::map<FileId, std::size_t> dropped;
    std::vector<Diagnostic> kept;
    for (Diagnostic& d : rs_.parse_diags) {
      if (d.code == "RL001" && d.range.valid()) {
        if (!seen.insert({d.range.file, d.range.line}).second) continue;
        if (++per_file[d.range.file] > kMaxErrorsPerFile) {
          ++dropped[d.range.file];
          continue;
        }
      }
      kept.push_back(std::move(d));
    }
    for (const auto& [file, n] : dropped) {
      const std::string& t = text(file);
      kept.push_back(make_diagnostic("RL001", files_.range(file, t.size(), t.size()),
                                     std::to_string(n) + " more syntax errors in this file are not shown"));
    }
    rs_.parse_diags = std::move(kept);
    std::stable_sort(rs_.parse_diags.begin(), rs_.parse_diags.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.range.file, a.range.line, a.range.column) < std::tie(b.range.file, b.range.line, b.range.column);
    });
  }

  /// RL006 for `${var:NAME}` in a rule: a `set` or `map` value the model cannot follow, or a variable
  /// defined outside the files read (a map in another file, a module's variable).
  void report_opaque_variables() {
    std::set<std::tuple<FileId, std::uint32_t, std::uint32_t, std::string>> done;
    for (const Rule& r : rs_.rules) {
      std::vector<std::string> texts;
      if (r.target) texts.push_back(r.target->url);
      for (const Condition& c : r.conds) texts.push_back(c.test);
      for (const std::string& t : texts) {
        for (std::size_t p = t.find("${var:"); p != std::string::npos; p = t.find("${var:", p + 1)) {
          std::size_t e = t.find('}', p);
          if (e == std::string::npos) break;
          std::string name = t.substr(p + 6, e - p - 6);
          if (capture_names_.count(name) || nginx::is_builtin_variable(name)) continue;
          if (!done.insert({r.where.file, r.where.line, r.where.column, name}).second) continue;
          std::string v = msg::quote("$" + name);
          std::string why;
          if (set_vars_.count(name)) continue;  // `set` runs in the simulator
          if (std::any_of(maps_.begin(), maps_.end(), [&](const MapDef& m) { return m.var == name; }))
            why = "map variable " + v + " is only expanded inside \"if (" + "$" + name + ") { return/rewrite }\"";
          else
            why = "variable " + v + " is defined outside the files read (a map, set or module)";
          rs_.parse_diags.push_back(
              make_diagnostic("RL006", r.where, why + "; the rule is analysed with an unknown value"));
        }
      }
    }
  }

  void finish() {
    dedupe_line_errors();
    // Rules whose `if` tests a map variable become one rule per map entry (maps may be defined after
    // their use: only now are they all known). The rules are copied only when one expands.
    auto expands = [&](const Rule& r) {
      return std::any_of(r.conds.begin(), r.conds.end(),
                         [&](const Condition& c) { return map_test(c) && find_map(c.test); });
    };
    if (std::any_of(rs_.rules.begin(), rs_.rules.end(), expands)) {
      std::vector<Rule> parsed = std::move(rs_.rules);
      rs_.rules.clear();
      for (std::size_t i = 0; i < parsed.size(); ++i) {
        Pending p{std::move(parsed[i]), match_is_all_[i]};
        if (!expand_map(p, rs_.rules)) rs_.rules.push_back(std::move(p.rule));
      }
    }
    match_is_all_ = {};
    report_opaque_variables();
    // The host and scheme lists of each server, built once and shared by its rules.
    std::map<int, std::pair<SharedStrings, SharedStrings>> scopes;
    for (std::size_t i = 0; i < rs_.rules.size(); ++i) {
      Rule& r = rs_.rules[i];
      r.id = static_cast<RuleId>(i);
      if (r.scope.server < 0) continue;
      auto [it, added] = scopes.try_emplace(r.scope.server);
      if (added) {
        const Block& s = rs_.blocks[static_cast<std::size_t>(r.scope.server)];
        std::vector<std::string> hosts, schemes;
        for (const std::string& n : s.server_names)
          if (!n.empty() && n != "_" && n[0] != '~' && n[0] != '*' && n[0] != '.' && n.back() != '*') hosts.push_back(n);
        // No listen at all: nginx listens on :80 (or :8000 unprivileged); the scheme is left open.
        if (auto l = listens_.find(r.scope.server); l != listens_.end()) {
          bool plain = l->second.plain && !l->second.ssl_on, ssl = l->second.ssl || (l->second.plain && l->second.ssl_on);
          if (plain) schemes.push_back("http");
          if (ssl) schemes.push_back("https");
        }
        it->second = {std::move(hosts), std::move(schemes)};
      }
      r.scope.hosts = it->second.first;
      r.scope.schemes = it->second.second;
    }
  }
};

}  // namespace

RuleSet parse_nginx(SourceFiles& files, FileId id, const ParseOptions& opts) {
  Reader reader(files, id, opts);
  return reader.run();
}

}  // namespace rl
