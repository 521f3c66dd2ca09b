// The nginx simulator (SEMANTICS.md §0 and §3): server selection, server-level rewrite directives,
// location selection, location-level rewrite/return/if/break, the 10-change limit, and the Location
// header exactly as ngx_http_header_filter_module writes it.
//
// How the model is read (parser: src/parse/nginx.cpp):
// - Blocks: `server` (server_names, ports, https, default_server), `location` (mod + path, nested
//   through Block::parent), `condition` for `if` (its rules carry the condition in Rule::conds).
// - Rule::origin.directive says what a rule is: "rewrite" (Rule::match = its regex), "return",
//   "break", and "set" when the parser gives it as a rule (target = the value); anything else is
//   skipped. A return/break whose Rule::match is not its location's own pattern comes from a `map`
//   the parser unrolled (one rule per entry): its match and conditions are then tested like a rewrite's.
// - A rule belongs to the server or location that contains it, through at most one `if` block.
// - `return ... $is_args$args` arrives as QueryMode::keep with the suffix removed (`?$args`: and
//   Target::query_mark_always).
#include <algorithm>
#include <cctype>
#include <array>
#include <charconv>
#include <functional>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "simulate/nginx_detail.hpp"
#include "simulate/simulate.hpp"
#include "simulate/template.hpp"
#include "simulate/url.hpp"

namespace rl {

namespace {

using nginx_sim::CaptureSet;

constexpr int kMaxUriChanges = 10;  // NGX_HTTP_MAX_URI_CHANGES: the 11th change answers 500

bool is_redirect_status(int s) { return s == 301 || s == 302 || s == 303 || s == 307 || s == 308; }

/// The parent of `block`, -1 = none. A block's parent precedes it; anything else (a model built by
/// hand) is treated as top level, so that walking up always ends.
int parent_of(const RuleSet& rs, int block) {
  int p = rs.blocks[block].parent;
  return p >= 0 && p < block ? p : -1;
}

bool valid_block(const RuleSet& rs, int block) { return block >= 0 && block < static_cast<int>(rs.blocks.size()); }

/// The nearest enclosing server or location block of `block` (skipping `if` and other blocks), -1 = none.
int container_of(const RuleSet& rs, int block) {
  for (; valid_block(rs, block); block = parent_of(rs, block)) {
    BlockKind k = rs.blocks[block].kind;
    if (k == BlockKind::server || k == BlockKind::location) return block;
  }
  return -1;
}

/// The server block that owns `block`, -1 = none (the implicit server of a fragment).
int server_of(const RuleSet& rs, int block) {
  for (; valid_block(rs, block); block = parent_of(rs, block))
    if (rs.blocks[block].kind == BlockKind::server) return block;
  return -1;
}

enum class Step { done, last, brk, answered };

bool same_conds(const std::vector<Condition>& a, const std::vector<Condition>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Condition& x, const Condition& y) {
    return x.test == y.test && x.op == y.op && x.pattern.text == y.pattern.text &&
           x.pattern.negated == y.pattern.negated && x.pattern.ignore_case == y.pattern.ignore_case;
  });
}

/// The pattern the parser gives a return/break of location `loc` (-1 = server level).
Pattern location_pattern(const RuleSet& rs, int loc) {
  Pattern p;
  p.kind = MatchKind::regex;
  p.text = "^/";
  if (loc < 0) return p;
  const Block& b = rs.blocks[loc];
  switch (b.mod) {
    case LocationMod::exact:
    case LocationMod::named: p.kind = MatchKind::exact, p.text = b.path; break;
    case LocationMod::none:
    case LocationMod::prefix_noregex: p.text = "^" + regex_escape(b.path); break;
    case LocationMod::regex:
    case LocationMod::regex_nocase: p.text = b.path; break;
  }
  return p;
}

// ---- lookup tables ----------------------------------------------------------------------------
// A request must not scan every location and rule of a large config (issue 8: 10k rules x 10k
// requests took 16 s). Built once per RuleSet; every lookup gives what the scans gave.

/// A literal path cut after its first segment: "/blog/x" -> "/blog/", "/s1" -> "/s1"; "" otherwise.
std::string_view first_segment(std::string_view literal) {
  if (literal.size() < 2 || literal[0] != '/') return {};
  std::size_t second = literal.find('/', 1);
  return second == std::string_view::npos ? literal : literal.substr(0, second + 1);
}

/// The locations directly inside one container (a server, a location, or the top level).
struct LocationLevel {
  std::unordered_map<std::string, int> exact;   ///< path -> first `=` location with it
  std::unordered_map<std::string, int> prefix;  ///< path -> first plain or `^~` location with it
  std::vector<std::size_t> prefix_lengths;      ///< distinct lengths of those paths, longest first
  std::vector<int> regex_scan;                  ///< regex locations tried for every URI
  std::unordered_map<std::string, std::vector<int>> regex_by_head;  ///< literal prefix's first segment -> locations

  /// Regex locations that can match `uri`, in file order (a superset: the regex decides).
  std::vector<int> regex_candidates(std::string_view uri) const {
    std::vector<int> out = regex_scan;
    std::string_view first = first_segment(uri);
    std::string key;
    for (std::size_t len = 2; len <= first.size(); ++len) {
      key.assign(first.substr(0, len));
      if (auto it = regex_by_head.find(key); it != regex_by_head.end())
        out.insert(out.end(), it->second.begin(), it->second.end());
    }
    if (out.size() != regex_scan.size()) std::sort(out.begin(), out.end());
    return out;
  }
};

/// A run of consecutive `return`/`break` rules of one container that differ only by an exact match on
/// $uri (the rules a `map $uri $new` used through `if ($new)` unrolls into, one per exact key): the
/// first rule whose key equals the URI is the only one that can answer, found by hashing.
struct ExactRun {
  std::size_t end = 0;  ///< one past the run's last rule (index in the container's list)
  bool icase = false;   ///< keys compared case-insensitively (lower-cased in `first`)
  std::unordered_map<std::string, std::size_t> first;  ///< key -> index of the first rule with it
};

/// The rules of one container in file order, with the exact-key runs among them.
struct ContainerRules {
  std::vector<const Rule*> list;
  std::unordered_map<std::size_t, ExactRun> runs;  ///< index of a run's first rule -> the run
};

struct LookupTables {
  std::vector<int> servers;                                 ///< server blocks in file order
  std::unordered_map<int, LocationLevel> levels;                    ///< container (-1 = top level) -> its locations
  std::unordered_map<int, ContainerRules> rules;  ///< container -> its rules in file order
};

/// Runs shorter than this are scanned: a hash table for a handful of rules costs more than it saves.
constexpr std::size_t kMinExactRun = 8;

/// A return/break that matches only the URI `match.text` (not its location's own pattern): a map entry.
bool exact_key_rule(const RuleSet& rs, const Rule& r) {
  const std::string& d = r.origin.directive;
  if ((d != "return" && d != "break") || r.match.kind != MatchKind::exact || r.match.negated) return false;
  int loc = container_of(rs, r.scope.block);
  if (loc >= 0 && rs.blocks[loc].kind != BlockKind::location) loc = -1;
  Pattern own = location_pattern(rs, loc);
  return !(own.kind == r.match.kind && own.text == r.match.text);
}

void find_exact_runs(const RuleSet& rs, ContainerRules& cr) {
  const auto& list = cr.list;
  for (std::size_t i = 0; i < list.size();) {
    const Rule& a = *list[i];
    std::size_t j = i;
    if (exact_key_rule(rs, a))
      while (j < list.size() && exact_key_rule(rs, *list[j]) && list[j]->scope.block == a.scope.block &&
             list[j]->match.ignore_case == a.match.ignore_case && same_conds(list[j]->conds, a.conds))
        ++j;
    if (j - i < kMinExactRun) {
      i = std::max(j, i + 1);
      continue;
    }
    ExactRun run;
    run.end = j;
    run.icase = a.match.ignore_case;
    run.first.reserve(j - i);
    for (std::size_t k = i; k < j; ++k)
      run.first.try_emplace(run.icase ? url::lower(list[k]->match.text) : list[k]->match.text, k);
    cr.runs.emplace(i, std::move(run));
    i = j;
  }
}

std::unique_ptr<LookupTables> build_index(const RuleSet& rs) {
  auto idx = std::make_unique<LookupTables>();
  for (int i = 0; i < static_cast<int>(rs.blocks.size()); ++i) {
    const Block& b = rs.blocks[i];
    if (b.kind == BlockKind::server) idx->servers.push_back(i);
    if (b.kind != BlockKind::location) continue;
    LocationLevel& level = idx->levels[container_of(rs, parent_of(rs, i))];
    switch (b.mod) {
      case LocationMod::exact: level.exact.try_emplace(b.path, i); break;
      case LocationMod::none:
      case LocationMod::prefix_noregex:
        if (level.prefix.try_emplace(b.path, i).second) level.prefix_lengths.push_back(b.path.size());
        break;
      case LocationMod::regex:
      case LocationMod::regex_nocase: {
        // nginx_sim::cached_regex() refuses a subject without the literal prefix of a case-sensitive pattern.
        std::string literal = b.mod == LocationMod::regex ? nginx_sim::literal_prefix(b.path) : std::string();
        std::string_view key = first_segment(literal);
        if (key.empty()) level.regex_scan.push_back(i);
        else level.regex_by_head[std::string(key)].push_back(i);
        break;
      }
      case LocationMod::named: break;
    }
  }
  for (auto& [container, level] : idx->levels) {
    std::sort(level.prefix_lengths.begin(), level.prefix_lengths.end(), std::greater<>());
    auto& lengths = level.prefix_lengths;
    lengths.erase(std::unique(lengths.begin(), lengths.end()), lengths.end());
  }
  for (const Rule& r : rs.rules) idx->rules[container_of(rs, r.scope.block)].list.push_back(&r);
  for (auto& [container, cr] : idx->rules) find_exact_runs(rs, cr);
  return idx;
}

/// The tables of `rs`, cached per thread (a few RuleSets; rebuilt when `rs` changes).
const LookupTables& index_for(const RuleSet& rs) {
  struct Entry {
    const RuleSet* rs = nullptr;
    const Rule* rules = nullptr;
    const Block* blocks = nullptr;
    std::size_t nrules = 0, nblocks = 0;
    std::string first, last;  // originals of the first and last rule: a cheap identity check
    std::unique_ptr<LookupTables> index;
  };
  thread_local std::array<Entry, 8> cache;
  thread_local std::size_t next = 0;
  auto original = [&](bool last) {
    return rs.rules.empty() ? std::string() : last ? rs.rules.back().original : rs.rules.front().original;
  };
  for (Entry& e : cache)
    if (e.index && e.rs == &rs && e.rules == rs.rules.data() && e.blocks == rs.blocks.data() &&
        e.nrules == rs.rules.size() && e.nblocks == rs.blocks.size() && e.first == original(false) &&
        e.last == original(true))
      return *e.index;
  Entry& e = cache[next++ % cache.size()];
  e = Entry{&rs, rs.rules.data(), rs.blocks.data(), rs.rules.size(), rs.blocks.size(), original(false), original(true),
            build_index(rs)};
  return *e.index;
}

class Engine {
 public:
  Engine(const RuleSet& rs, const Request& req, const SimOptions& opts)
      : rs_(rs), idx_(index_for(rs)), req_(req), opts_(opts) {}

  Outcome run();

 private:
  int select_server();
  int find_location(int parent, bool& done, int& rc);
  Step run_rules(int container);
  Step run_rule(const Rule& r);
  bool eval_conds(const Rule& r);
  bool own_pattern(const Rule& r) const;
  bool match_rule(const Rule& r, bool& matched);
  bool eval_cond(const Condition& c, const Rule& r);
  Step do_return(const Rule& r);
  Step do_rewrite(const Rule& r);

  std::string var(std::string_view name) const;
  std::string header(std::string_view name) const;
  std::string arg(std::string_view name) const;
  bool path_exists(std::string_view path, bool files, bool dirs) const;
  std::string expand_plain(std::string_view tpl) const;
  std::string absolute_location(int block, const std::string& loc) const;
  void serve_static(int loc);
  bool check_access(int block);
  bool location_phases(int& loc);
  void content_phases(int& loc);
  bool count_change();
  void error_page(int loc);
  void set_uri(std::string_view u);
  int named_location(std::string_view name) const;
  void unknown(std::string why);
  bool files_known() const { return !opts_.existing_files.empty() || !opts_.existing_dirs.empty(); }
  std::optional<bool> setting(int block, std::optional<bool> Block::*field, std::optional<bool> RuleSet::*top) const;
  std::string server_name() const;
  int effective_port() const;

  /// Matches `re` on `subject`; a match replaces the captures. False + outcome `limit` on a limit.
  bool regex_match(const std::shared_ptr<const nginx_sim::CompiledRegex>& re, std::string_view subject, bool& matched,
                   const Rule* rule, const Block* where = nullptr);
  /// Outcome "limit": the regex of `rule`, else of the block `where` (a location or a server_name), hit it.
  void set_limit(const Rule* rule, const Block* where = nullptr);
  void fire(const Rule& r, std::string url_after) { out_.fired.push_back({r.id, r.where, std::move(url_after), {}}); }
  std::string current_url() const { return args_.empty() ? uri_ : uri_ + "?" + args_; }

  const RuleSet& rs_;
  const LookupTables& idx_;
  const Request& req_;
  const SimOptions& opts_;
  Outcome out_;
  int server_ = -1;
  std::string host_;  ///< $host from the Host header ("" when none)
  std::string uri_, args_;
  bool quoted_uri_ = false, plus_in_uri_ = false, uri_changed_ = false;
  int changes_ = 0;  ///< URI changes so far (internal redirects included)
  CaptureSet caps_;
  std::vector<std::pair<std::string, std::string>> vars_;  ///< variables given a value by `set`
};

// $server_name: the first server_name as written, except that nginx stores `.example.com` as
// `example.com` (ngx_http_core_server_name).
std::string Engine::server_name() const {
  if (server_ < 0 || rs_.blocks[server_].server_names.empty()) return {};
  const std::string& n = rs_.blocks[server_].server_names.front();
  return n.starts_with('.') ? n.substr(1) : n;
}

// The port the request arrived on, as production sees it: the request's port when the selected server
// listens on it, else the port the server's `listen` names (the scheme's default when it has it, else
// its first); a server without `listen` listens on 80.
int Engine::effective_port() const {
  int port = req_.port ? req_.port : url::default_port(req_.scheme);
  if (server_ < 0) return port;
  const auto& ports = rs_.blocks[server_].ports;
  if (ports.empty()) return 80;
  if (std::find(ports.begin(), ports.end(), port) != ports.end()) return port;
  int preferred = url::default_port(req_.scheme);
  if (std::find(ports.begin(), ports.end(), preferred) != ports.end()) return preferred;
  return ports.front();
}

int Engine::select_server() {
  const std::vector<int>& servers = idx_.servers;
  if (servers.empty()) return -1;
  // Servers listening on the request's port; when none does (a config tested on another port than
  // it was written for), all of them.
  const int port = effective_port();
  std::vector<int> on_port;
  for (int s : servers) {
    const Block& b = rs_.blocks[s];
    bool listens = b.ports.empty() ? port == 80 : std::find(b.ports.begin(), b.ports.end(), port) != b.ports.end();
    if (listens) on_port.push_back(s);
  }
  if (on_port.empty()) on_port = servers;

  int best = -1, best_rank = 0;
  for (int s : on_port)
    for (const std::string& name : rs_.blocks[s].server_names) {
      int rank = nginx_sim::server_name_rank(name, host_);
      if (rank > best_rank) best = s, best_rank = rank;
    }
  if (best >= 0) return best;
  if (!host_.empty())
    for (int s : on_port)
      for (const std::string& name : rs_.blocks[s].server_names) {
        if (name.empty() || name[0] != '~') continue;
        auto re = nginx_sim::cached_regex(std::string_view(name).substr(1), true);
        bool matched = false;
        if (!regex_match(re, host_, matched, nullptr, &rs_.blocks[s])) return s;  // limit: outcome already set
        if (matched) return s;
      }
  for (int s : on_port)
    if (rs_.blocks[s].default_server) return s;
  return on_port.front();
}

bool Engine::regex_match(const std::shared_ptr<const nginx_sim::CompiledRegex>& re, std::string_view subject,
                         bool& matched, const Rule* rule, const Block* where) {
  Captures caps;
  MatchStatus st = re->match(subject, &caps);
  matched = st == MatchStatus::match;
  if (matched) {
    caps_.caps = std::move(caps);
    caps_.from = re;
  }
  if (st == MatchStatus::limit) {
    set_limit(rule, where);
    return false;
  }
  return true;
}

void Engine::set_limit(const Rule* rule, const Block* where) {
  out_.kind = OutcomeKind::limit;
  out_.status = 0;
  out_.location.clear();
  out_.note = rule    ? "regex match limit reached in rule at line " + std::to_string(rule->where.line)
              : where ? "regex match limit reached in " + std::string(where->kind == BlockKind::server ? "server_name" : "location") +
                            " at line " + std::to_string(where->where.line)
                      : "regex match limit reached while selecting the server or location";
}

// ngx_http_core_find_location: `=` exact stops; the longest prefix is remembered (and its nested
// locations searched); `^~` on it skips this level's regexes; regexes in file order, first match wins.
// rc: 0 = found and final (exact or regex), 1 = a prefix was found (not final), -1 = nothing.
int Engine::find_location(int parent, bool& done, int& rc) {
  rc = -1;
  auto lit = idx_.levels.find(parent);
  if (lit == idx_.levels.end() || (parent < 0 && server_ >= 0)) return -1;
  const LocationLevel& level = lit->second;
  if (auto e = level.exact.find(uri_); e != level.exact.end()) {
    rc = 0;
    return e->second;
  }
  // The longest plain / `^~` path that starts the URI (the first such location of that path).
  int best = -1;
  for (std::size_t len : level.prefix_lengths) {
    if (len > uri_.size()) continue;
    if (auto p = level.prefix.find(uri_.substr(0, len)); p != level.prefix.end()) {
      best = p->second;
      break;
    }
  }
  int found = best;
  rc = best >= 0 ? 1 : -1;
  bool noregex = false;
  if (best >= 0) {
    noregex = rs_.blocks[best].mod == LocationMod::prefix_noregex;
    int inner_rc = -1;
    int inner = find_location(best, done, inner_rc);
    if (done) return -1;
    if (inner_rc == 0) {
      rc = 0;
      return inner;
    }
    if (inner >= 0) found = inner;
  }
  if (noregex) return found;
  for (int i : level.regex_candidates(uri_)) {
    const Block& b = rs_.blocks[i];
    auto re = nginx_sim::cached_regex(b.path, b.mod == LocationMod::regex_nocase);
    bool matched = false;
    if (!regex_match(re, uri_, matched, nullptr, &b)) {
      done = true;
      return -1;
    }
    if (!matched) continue;
    int inner_rc = -1;
    int inner = find_location(i, done, inner_rc);
    if (done) return -1;
    rc = 0;
    return inner >= 0 ? inner : i;
  }
  return found;
}

Outcome Engine::run() {
  // The request line is checked before the Host header; its path is normalised with the
  // merge_slashes of the server the Host selects (the common case: one setting for every server).
  nginx_sim::ParsedTarget t = nginx_sim::parse_target(req_.target);
  if (t.error_status) {
    out_.kind = OutcomeKind::answer;
    out_.status = t.error_status;
    out_.note = "nginx rejects the request-target before any rule runs";
    return out_;
  }
  if (!req_.host.empty() && !nginx_sim::validate_host(req_.host, host_)) {
    out_.kind = OutcomeKind::answer;
    out_.status = 400;
    out_.note = "nginx rejects the Host header";
    return out_;
  }

  server_ = select_server();
  if (undetermined(out_.kind)) return out_;
  std::optional<bool> merge = server_ >= 0 ? rs_.blocks[server_].merge_slashes : std::nullopt;
  if (!merge.value_or(rs_.merge_slashes.value_or(true))) t = nginx_sim::parse_target(req_.target, false);
  uri_ = std::move(t.uri);
  args_ = std::move(t.args);
  quoted_uri_ = t.quoted_uri;
  plus_in_uri_ = t.plus_in_uri;

  // NGX_HTTP_SERVER_REWRITE_PHASE: once, before the first location search; its URI changes do not
  // count, and its `last`/`break` only end the server-level directives.
  int loc = -1;
  if (run_rules(server_) != Step::answered) content_phases(loc);
  if (!undetermined(out_.kind)) error_page(loc);
  return out_;
}

// Location search, the location's rewrite directives (repeated on a URI change, at most 10 times),
// access, try_files, static. False when the request was answered (out_ holds the answer).
bool Engine::location_phases(int& loc) {
  for (;;) {
    bool done = false;
    int rc = -1;
    loc = find_location(server_, done, rc);
    if (done) return false;
    uri_changed_ = false;
    // No location matched: nginx skips the location rewrite phase for the server's null location.
    Step step = loc >= 0 ? run_rules(loc) : Step::done;
    if (step == Step::answered) return false;
    if (!uri_changed_ || step == Step::brk) return true;
    if (!count_change()) return false;
  }
}

bool Engine::count_change() {
  if (++changes_ <= kMaxUriChanges) return true;
  out_.kind = OutcomeKind::answer;
  out_.status = 500;
  out_.note = "rewrite or internal redirection cycle: more than 10 URI changes";
  return false;
}

void Engine::content_phases(int& loc) {
  for (;;) {
    if (!location_phases(loc)) return;
    if (!check_access(loc >= 0 ? loc : server_)) return;
    if (loc < 0 || rs_.blocks[loc].try_files.empty()) break;
    // NGX_HTTP_TRY_FILES_PHASE: the first existing file or directory (`x/`) is served; else the last
    // argument: `=CODE`, a named location, or a URI searched again (an internal redirect).
    const auto& tf = rs_.blocks[loc].try_files;
    if (!files_known()) {
      unknown("\"try_files\" depends on which files exist (name them with --file/--dir)");
      return;
    }
    bool found = false;
    for (std::size_t i = 0; i + 1 < tf.size() && !found; ++i) {
      std::string p = expand_plain(tf[i]);
      bool dir = p.size() > 1 && p.ends_with('/');
      found = path_exists(dir ? p.substr(0, p.size() - 1) : p, !dir, dir);
    }
    if (found) break;
    const std::string last = expand_plain(tf.back());
    if (last.starts_with('=')) {
      out_.kind = OutcomeKind::answer;
      out_.status = std::atoi(last.c_str() + 1);
      return;
    }
    if (last.starts_with('@')) {
      int named = named_location(last);
      if (named < 0) return unknown("named location " + last + " is not in the files read");
      loc = named;
      if (run_rules(named) == Step::answered) return;
      break;
    }
    set_uri(last);
    if (!count_change()) return;
  }
  serve_static(loc >= 0 ? loc : server_);
}

void Engine::set_uri(std::string_view u) {
  std::size_t q = u.find('?');
  uri_ = std::string(u.substr(0, q));
  args_ = q == std::string_view::npos ? std::string() : std::string(u.substr(q + 1));
}

int Engine::named_location(std::string_view name) const {
  for (int i = 0; i < static_cast<int>(rs_.blocks.size()); ++i) {
    const Block& b = rs_.blocks[i];
    if (b.kind == BlockKind::location && b.mod == LocationMod::named && b.path == name && server_of(rs_, i) == server_)
      return i;
  }
  return -1;
}

void Engine::unknown(std::string why) {
  out_.kind = OutcomeKind::unknown;
  out_.status = 0;
  out_.location.clear();
  out_.note = "not modelled: " + std::move(why);
}

// ngx_http_special_response_handler -> ngx_http_send_error_page, once (recursive_error_pages off):
// the final status's `error_page` of the innermost block that has any. `=N` overwrites the status
// (`=` alone: the page's own), a URI is searched again (GET, its own args), `@name` runs that location,
// an absolute URL redirects (302 unless N is a redirect code).
void Engine::error_page(int loc) {
  int status = out_.status;
  if (out_.kind == OutcomeKind::none) {
    if (path_exists(out_.final_path.empty() ? uri_ : out_.final_path, true, true)) return;
    status = 404;
  } else if (out_.kind != OutcomeKind::answer || status < 300) {
    return;
  }
  const std::vector<std::string>* list = &rs_.error_pages;
  for (int b = loc >= 0 ? loc : server_; valid_block(rs_, b); b = parent_of(rs_, b))
    if (!rs_.blocks[b].error_pages.empty()) {
      list = &rs_.blocks[b].error_pages.list();
      break;
    }
  for (const std::string& e : *list) {
    std::vector<std::string> words;
    for (std::size_t b = 0; b < e.size();) {
      std::size_t sp = e.find(' ', b);
      words.push_back(e.substr(b, sp - b));
      b = sp == std::string::npos ? e.size() : sp + 1;
    }
    std::optional<int> overwrite;  // 0 = `=` alone
    bool hit = false;
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
      if (words[i].starts_with('=')) overwrite = std::atoi(words[i].c_str() + 1);
      else if (std::atoi(words[i].c_str()) == status) hit = true;
    }
    if (!hit) continue;
    if (out_.kind == OutcomeKind::none && !files_known())
      return unknown("\"error_page " + e + "\" answers when the file does not exist (name files with --file/--dir)");
    const std::string uri = expand_plain(words.back());
    out_.note = "error_page " + e;
    if (uri.starts_with("http://") || uri.starts_with("https://") || uri.starts_with("$scheme")) {
      out_.kind = OutcomeKind::redirect;
      out_.status = overwrite && is_redirect_status(*overwrite) ? *overwrite : 302;
      out_.location = uri;
      return;
    }
    out_.kind = OutcomeKind::none;
    out_.status = 0;
    out_.location.clear();
    int page_loc = -1;
    if (uri.starts_with('@')) {
      page_loc = named_location(uri);
      if (page_loc < 0) return unknown("named location " + uri + " is not in the files read");
      if (run_rules(page_loc) != Step::answered) serve_static(page_loc);
    } else {
      set_uri(uri);
      content_phases(page_loc);
    }
    if (undetermined(out_.kind) || out_.kind == OutcomeKind::redirect) return;
    // The page's answer goes out with the error's status (or N; `=` alone: the page's own).
    int page_status = out_.kind == OutcomeKind::answer ? out_.status : 200;
    if (out_.kind == OutcomeKind::none && !path_exists(out_.final_path.empty() ? uri_ : out_.final_path, true, true))
      page_status = 404;
    out_.kind = OutcomeKind::answer;
    out_.status = !overwrite ? status : *overwrite == 0 ? page_status : *overwrite;
    out_.location.clear();
    return;
  }
}

// NGX_HTTP_ACCESS_PHASE (after the rewrite phases): the allow/deny list of the innermost block that
// has one (a block without any inherits its parent's), first match wins. Only `all` is known: a rule
// naming addresses makes the answer unknown (the client's address is not part of the request).
bool Engine::check_access(int block) {
  const std::vector<std::string>* list = &rs_.access;
  for (int b = block; valid_block(rs_, b); b = parent_of(rs_, b))
    if (!rs_.blocks[b].access.empty()) {
      list = &rs_.blocks[b].access.list();
      break;
    }
  for (const std::string& e : *list) {
    bool deny = e.starts_with("deny ");
    std::string_view addr = std::string_view(e).substr(e.find(' ') + 1);
    if (addr != "all") {
      out_.kind = OutcomeKind::unknown;
      out_.status = 0;
      out_.note = "not modelled: \"" + e + "\" depends on the client's address";
      return false;
    }
    if (!deny) return true;
    out_.kind = OutcomeKind::answer;
    out_.status = 403;
    out_.note = "access forbidden by \"deny all\"";
    return false;
  }
  return true;
}

// What the static module does with the final URI when no rule answered: a directory named without its
// trailing slash gets `301 URI/[?args]` (the URI as is, not escaped); a directory with the slash and
// no index.html is 403; anything else is served or 404 (kind none).
void Engine::serve_static(int block) {
  out_.final_path = uri_;
  if (!uri_.ends_with('/') && path_exists(uri_, false, true)) {
    out_.kind = OutcomeKind::redirect;
    out_.status = 301;
    out_.location = absolute_location(block, uri_ + "/" + (args_.empty() ? "" : "?" + args_));
    out_.note = "the static module adds the trailing slash of a directory";
    return;
  }
  if (uri_.ends_with('/') && path_exists(uri_, false, true) && !path_exists(uri_ + "index.html", true, false)) {
    out_.kind = OutcomeKind::answer;
    out_.status = 403;
    out_.note = "directory without index.html (autoindex off)";
    return;
  }
  if (out_.note.empty() && !out_.fired.empty()) out_.note = "internally rewritten; no rule answered";
}

Step Engine::run_rules(int container) {
  int current_if = -1;
  const std::vector<Condition>* if_conds = nullptr;
  bool if_ok = false;
  auto own = idx_.rules.find(container);
  if (own == idx_.rules.end()) return Step::done;
  const std::vector<const Rule*>& list = own->second.list;
  const auto& runs = own->second.runs;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Rule* rp = list[i];
    // An exact-key run: its conditions (the same for all) decide as for its first rule, then only the
    // rule whose key is the URI can answer.
    bool no_key = false;
    if (auto it = runs.find(i); it != runs.end()) {
      const ExactRun& run = it->second;
      auto hit = run.first.find(run.icase ? url::lower(uri_) : uri_);
      if (hit != run.first.end()) rp = list[hit->second];
      else no_key = true;  // the conditions are still evaluated (an `if` regex sets the captures)
      i = run.end - 1;
    }
    const Rule& r = *rp;
    if (container < 0 && (server_ >= 0 || server_of(rs_, r.scope.block) >= 0)) continue;
    int b = r.scope.block;
    bool in_if = valid_block(rs_, b) && rs_.blocks[b].kind == BlockKind::condition;
    if (in_if && b == current_if && same_conds(r.conds, *if_conds)) {
      // The `if` condition is evaluated once, where the block starts; the rules inside then run in
      // order (a rewrite inside may change $uri or the captures without re-testing the condition).
      if (!if_ok) continue;
    } else if (in_if) {
      current_if = b;
      if_conds = &r.conds;
      if_ok = eval_conds(r);
      if (undetermined(out_.kind)) return Step::answered;
      if (!if_ok) continue;
    } else {
      current_if = -1;
      if (!r.conds.empty() && !eval_conds(r)) {
        if (undetermined(out_.kind)) return Step::answered;
        continue;
      }
    }
    if (no_key) continue;
    Step s = run_rule(r);
    if (s != Step::done) return s;
  }
  return Step::done;
}

bool Engine::own_pattern(const Rule& r) const {
  int loc = container_of(rs_, r.scope.block);
  if (loc >= 0 && rs_.blocks[loc].kind != BlockKind::location) loc = -1;
  Pattern own = location_pattern(rs_, loc);
  return own.kind == r.match.kind && own.text == r.match.text;
}

// Tests Rule::match on $uri; a regex match replaces the captures. False when a limit was reached.
bool Engine::match_rule(const Rule& r, bool& matched) {
  const Pattern& p = r.match;
  switch (p.kind) {
    case MatchKind::exact: matched = p.ignore_case ? url::iequals(uri_, p.text) : uri_ == p.text; break;
    case MatchKind::prefix:
      matched = uri_.starts_with(p.text) &&
                (uri_.size() == p.text.size() || p.text.ends_with('/') || uri_[p.text.size()] == '/');
      break;
    case MatchKind::regex: {
      const auto& re = nginx_sim::rule_regex(rs_, r);
      matched = false;
      if (!regex_match(re, uri_, matched, &r)) return false;
      break;
    }
  }
  if (p.negated) matched = !matched;
  return true;
}

Step Engine::run_rule(const Rule& r) {
  const std::string& d = r.origin.directive;
  if ((d == "return" || d == "break") && !own_pattern(r)) {
    bool matched = false;
    if (!match_rule(r, matched)) return Step::answered;
    if (!matched) return Step::done;
  }
  if (d == "return") return do_return(r);
  if (d == "rewrite") return do_rewrite(r);
  if (d == "set") {
    // Modelled only when the parser gives `set` as a rule (target = the value template); the
    // variable's name is read from the source text.
    std::string_view o = r.original;
    std::size_t b = o.find('$');
    if (b == std::string_view::npos || !r.target) return Step::done;
    std::size_t e = b + 1;
    while (e < o.size() && (std::isalnum(static_cast<unsigned char>(o[e])) || o[e] == '_')) ++e;
    std::string name = url::lower(o.substr(b + 1, e - b - 1));
    std::string value = expand_plain(r.target->url);
    auto it = std::find_if(vars_.begin(), vars_.end(), [&](const auto& v) { return v.first == name; });
    if (it != vars_.end()) it->second = std::move(value);
    else vars_.emplace_back(std::move(name), std::move(value));
    return Step::done;
  }
  if (d == "break") {
    fire(r, current_url());
    uri_changed_ = false;  // ngx_http_script_break_code: stay in this location
    return Step::brk;
  }
  return Step::done;
}

std::optional<bool> Engine::setting(int block, std::optional<bool> Block::*field,
                                    std::optional<bool> RuleSet::*top) const {
  for (; valid_block(rs_, block); block = parent_of(rs_, block))
    if (auto v = rs_.blocks[block].*field) return v;
  return rs_.*top;
}

// ngx_http_header_filter: a Location starting with '/' gets scheme://host[:port] unless
// absolute_redirect off; host = Host without port (server_name_in_redirect: the first server_name);
// the listening port is added unless it is the scheme's default (port_in_redirect off: never).
std::string Engine::absolute_location(int b, const std::string& loc) const {
  if (loc.empty() || loc[0] != '/') return loc;
  if (!setting(b, &Block::absolute_redirect, &RuleSet::absolute_redirect).value_or(true)) return loc;
  std::string host = host_;
  if (setting(b, &Block::server_name_in_redirect, &RuleSet::server_name_in_redirect).value_or(false))
    host = server_name();
  else if (host.empty())
    host = server_name().empty() ? "localhost" : server_name();
  int port = setting(b, &Block::port_in_redirect, &RuleSet::port_in_redirect).value_or(true) ? effective_port() : 0;
  return url::absolute_url(req_.scheme, host, port, loc);
}

std::string Engine::expand_plain(std::string_view tpl) const {
  return expand_template(parse_template(tpl), [&](const TemplatePart& p) {
    return p.kind == PartKind::variable ? var(p.text) : caps_.group(p.index);
  });
}

// ngx_http_script_return_code: only 301/302/303/307/308 send a Location (text as expanded: captures
// and variables are not escaped, the query is never appended); any other code answers without one.
Step Engine::do_return(const Rule& r) {
  out_.status = r.status;
  if (is_redirect_status(r.status) && r.target) {
    out_.kind = OutcomeKind::redirect;
    std::string loc = expand_plain(r.target->url);
    if (r.target->query == QueryMode::keep && (!args_.empty() || r.target->query_mark_always))
      loc += "?" + args_;
    out_.location = absolute_location(r.scope.block, loc);
    fire(r, out_.location);
  } else {
    out_.kind = OutcomeKind::answer;
    if (r.target) out_.note = "body: " + expand_plain(r.target->url);
    fire(r, current_url());
  }
  return Step::answered;
}

// ngx_http_script_regex_start/end_code. Captures are %-escaped (args style) when the request's path
// had a '%' escape or a '+', and only in a redirect or after the replacement's own '?'; a redirect is
// then partially unescaped up to its first '?' and gets the request's args ('?' or '&') unless the
// replacement ended with '?'. An internal rewrite's new URI is NOT decoded again.
Step Engine::do_rewrite(const Rule& r) {
  if (!r.target) return Step::done;
  bool matched = false;
  if (!match_rule(r, matched)) return Step::answered;
  if (!matched) return Step::done;

  const bool redirect = r.action == Action::redirect;
  const bool add_args = r.target->query == QueryMode::keep || r.target->query == QueryMode::append;
  std::vector<TemplatePart> parts = parse_template(r.target->url);
  // A trailing '?' that the parser left in place means "drop the request's args" (already in QueryMode).
  if (!add_args && !parts.empty() && parts.back().kind == PartKind::literal && parts.back().text.ends_with('?'))
    parts.back().text.pop_back();
  const bool escape = quoted_uri_ || plus_in_uri_;
  std::string buf;
  std::optional<std::size_t> args_at;  // where the replacement's own '?' is in buf
  for (const TemplatePart& p : parts) {
    if (p.kind == PartKind::literal) {
      std::size_t q = p.text.find('?');
      if (!args_at && q != std::string::npos) args_at = buf.size() + q;
      buf += p.text;
    } else if (p.kind == PartKind::variable) {
      buf += var(p.text);
    } else {
      std::string v = caps_.group(p.index);
      buf += (redirect || args_at) && escape ? nginx_sim::escape_args(v) : v;
    }
  }
  if (redirect) {
    std::string loc = nginx_sim::unescape_redirect(buf);
    if (add_args && !args_.empty()) loc += (args_at ? "&" : "?") + args_;
    out_.kind = OutcomeKind::redirect;
    out_.status = r.status ? r.status : 302;
    out_.location = absolute_location(r.scope.block, loc);
    fire(r, out_.location);
    return Step::answered;
  }
  if (args_at) {
    std::string new_args = buf.substr(*args_at + 1);
    if (add_args && !args_.empty()) new_args += "&" + args_;
    args_ = std::move(new_args);
    buf.resize(*args_at);
  } else if (!add_args) {
    args_.clear();
  }
  if (buf.empty()) {
    out_.kind = OutcomeKind::answer;
    out_.status = 500;
    out_.note = "the rewritten URI has a zero length";
    fire(r, "");
    return Step::answered;
  }
  uri_ = std::move(buf);
  fire(r, current_url());
  if (r.flow == Flow::end) {
    uri_changed_ = false;  // `break`: serve the new URI from this location
    return Step::brk;
  }
  uri_changed_ = true;
  return r.flow == Flow::restart || r.flow == Flow::stop ? Step::last : Step::done;
}

bool Engine::eval_conds(const Rule& r) {
  bool result = true, pending_or = false;
  for (const Condition& c : r.conds) {
    bool v;
    if (pending_or && result) {
      v = true;  // (a OR b): b not evaluated once a held
    } else {
      v = eval_cond(c, r);
      if (undetermined(out_.kind)) return false;
    }
    if (pending_or)
      result = result || v;
    else if (!result)
      return false;
    else
      result = v;
    pending_or = c.or_next;
    if (!pending_or && !result) return false;
  }
  return result;
}

bool Engine::eval_cond(const Condition& c, const Rule& r) {
  std::string test = expand_plain(c.test);
  const std::string& pat = c.pattern.text;
  bool v = false;
  switch (c.op) {
    case CondOp::regex: {
      auto re = nginx_sim::cached_regex(pat, c.pattern.ignore_case);
      if (!regex_match(re, test, v, &r)) return false;
      break;
    }
    case CondOp::equal: v = c.pattern.ignore_case ? url::iequals(test, pat) : test == pat; break;  // map keys ignore case
    case CondOp::lt: v = test < pat; break;
    case CondOp::gt: v = test > pat; break;
    case CondOp::le: v = test <= pat; break;
    case CondOp::ge: v = test >= pat; break;
    case CondOp::truthy: v = !test.empty() && test != "0"; break;
    case CondOp::file_exists:
    case CondOp::executable:
    case CondOp::size_nonzero: v = path_exists(test, true, false); break;
    case CondOp::dir_exists: v = path_exists(test, false, true); break;
    case CondOp::exists: v = path_exists(test, true, true); break;
    default: {
      long long a = 0, b = 0;
      std::from_chars(test.data(), test.data() + test.size(), a);
      std::from_chars(pat.data(), pat.data() + pat.size(), b);
      switch (c.op) {
        case CondOp::int_eq: v = a == b; break;
        case CondOp::int_ne: v = a != b; break;
        case CondOp::int_lt: v = a < b; break;
        case CondOp::int_gt: v = a > b; break;
        case CondOp::int_le: v = a <= b; break;
        case CondOp::int_ge: v = a >= b; break;
        default: v = false; break;
      }
    }
  }
  return v != c.pattern.negated;
}

bool Engine::path_exists(std::string_view path, bool files, bool dirs) const {
  std::string_view root = opts_.document_root;
  while (root.ends_with('/')) root.remove_suffix(1);
  if (!root.empty() && path.starts_with(root)) path.remove_prefix(root.size());
  auto same = [](std::string_view a, std::string_view b) {
    while (a.size() > 1 && a.ends_with('/')) a.remove_suffix(1);
    while (b.size() > 1 && b.ends_with('/')) b.remove_suffix(1);
    return a == b;
  };
  if (opts_.sorted) {
    std::string p(path);
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return (files && (opts_.has_file(p) || opts_.has_file(p + "/"))) || (dirs && (opts_.has_dir(p) || opts_.has_dir(p + "/")));
  }
  if (files)
    for (const std::string& f : opts_.existing_files)
      if (same(f, path)) return true;
  if (dirs)
    for (const std::string& d : opts_.existing_dirs)
      if (same(d, path)) return true;
  return false;
}

std::string Engine::header(std::string_view name) const {
  auto norm = [](std::string_view s) {
    std::string out = url::lower(s);
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
  };
  std::string want = norm(name);
  if (want == "host") return req_.host;
  for (const auto& [n, v] : req_.headers)
    if (norm(n) == want) return v;
  return {};
}

// ngx_http_arg: the first NAME=value of $args, NAME compared case-insensitively.
std::string Engine::arg(std::string_view name) const {
  std::string_view a = args_;
  while (!a.empty()) {
    std::size_t amp = a.find('&');
    std::string_view pair = a.substr(0, amp);
    std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && url::iequals(pair.substr(0, eq), name)) return std::string(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    a.remove_prefix(amp + 1);
  }
  return {};
}

std::string Engine::var(std::string_view name) const {
  if (name.starts_with("var:")) name.remove_prefix(4);
  for (const auto& [n, v] : vars_)
    if (n == name) return v;
  if (auto v = caps_.named(name)) return *v;
  if (name == "scheme") return req_.scheme;
  if (name == "host") return host_.empty() ? server_name() : host_;
  if (name == "http_host") return req_.host;
  if (name == "server_name") return server_name();
  if (name == "server_port") return std::to_string(effective_port());
  if (name == "uri" || name == "document_uri") return uri_;
  if (name == "request_uri") return req_.target;
  if (name == "query" || name == "args" || name == "query_string") return args_;
  if (name == "is_args") return args_.empty() ? "" : "?";
  if (name == "method" || name == "request_method") return req_.method;
  if (name == "https") return req_.scheme == "https" ? "on" : "";
  if (name == "the_request" || name == "request") return req_.method + " " + req_.target + " HTTP/1.1";
  if (name == "request_filename") return opts_.document_root + uri_;
  if (name == "document_root") return opts_.document_root;
  if (name == "remote_addr" || name == "server_addr") return "127.0.0.1";
  for (std::string_view p : {"http:", "http_"})
    if (name.starts_with(p)) return header(name.substr(p.size()));
  for (std::string_view p : {"arg:", "arg_"})
    if (name.starts_with(p)) return arg(name.substr(p.size()));
  return {};
}

}  // namespace

Outcome simulate_nginx(const RuleSet& rs, const Request& req, const SimOptions& opts) {
  return Engine(rs, req, opts).run();
}

}  // namespace rl
