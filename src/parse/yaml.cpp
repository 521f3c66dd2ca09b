// redirlint's YAML rule files (docs/yaml-format.md) → model.
//
// The file is streamed with libyaml's event parser: no node tree is built, so a 100k-rule file is read
// in one pass with a few kilobytes of parser state (issue 8; numbers in docs/yaml-format.md). The price
// is that the order matters where a tree would not: `defaults:` must come before `redirects:`.
//
// libyaml marks are 0-based and count characters, not bytes; Pos converts them once into the model's
// 1-based byte positions (STYLE.md 4).
#include <yaml.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "parse/parse.hpp"
#include "parse/quick_regex.hpp"
#include "parse/yaml_util.hpp"
#include "util/regex.hpp"
#include "util/limits.hpp"

namespace rl {

namespace {

using file_rules::did_you_mean;

/// A scalar value with where it was written.
struct Scalar {
  std::string value;
  std::size_t begin = 0, end = 0;  // byte offsets of the node (quotes included)
  bool plain = true;               // not quoted, not a block scalar
};

/// One redirect entry as written (each field optional until the rule is built).
struct Entry {
  std::size_t begin = 0, end = 0;
  std::optional<Scalar> from, to, status, match, query, until, note, force, ignore_case;
  std::optional<std::vector<Scalar>> hosts;
  std::size_t hosts_begin = 0;
  std::vector<std::string> suggested;  // keys already reported (a did-you-mean `form` → from, a bad value)
  std::size_t diags_before = 0;        // diagnostics count when the entry started
};

/// The `defaults:` block.
struct Defaults {
  std::optional<Scalar> status, match, query, force, ignore_case;
  std::optional<std::vector<Scalar>> hosts;
};

constexpr std::string_view kNotOurs =
    "not a redirlint rule file (expected `version: 1` and `redirects:`; see docs/yaml-format.md)";

const std::vector<std::string_view> kTopKeys = {"version", "defaults", "redirects"};
const std::vector<std::string_view> kEntryKeys = {"from", "to", "status", "match", "host", "query",
                                                  "until", "note", "force", "ignore_case"};
const std::vector<std::string_view> kDefaultKeys = {"status", "match", "host", "query", "force", "ignore_case"};

// Control characters (a multi-line scalar) are shown as \xNN: a message stays one line (found by tests/fuzz).
std::string quoted(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f)
      out += {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
    else
      out.push_back(ch);
  }
  return out + "\"";
}

std::string node_kind(yaml_event_type_t t) {
  switch (t) {
    case YAML_SEQUENCE_START_EVENT: return "a list";
    case YAML_MAPPING_START_EVENT: return "a mapping";
    case YAML_ALIAS_EVENT: return "an alias";
    default: return "a scalar";
  }
}

class YamlReader {
 public:
  YamlReader(SourceFiles& files, FileId id, const ParseOptions& opts, RuleSet& rs)
      : files_(files), id_(id), opts_(opts), rs_(rs), text_(files.get(id).text), lines_(files.get(id).line_starts) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text_.data()), text_.size());
  }
  ~YamlReader() {
    if (have_event_) yaml_event_delete(&ev_);
    yaml_parser_delete(&parser_);
  }
  YamlReader(const YamlReader&) = delete;
  YamlReader& operator=(const YamlReader&) = delete;

  void run();

 private:
  // --- events -------------------------------------------------------------------------------
  /// Advances to the next event; false (and `failed_`) on a YAML syntax error, reported once.
  bool next() {
    if (failed_) return false;
    if (have_event_) yaml_event_delete(&ev_);
    have_event_ = yaml_parser_parse(&parser_, &ev_) != 0;
    if (!have_event_) {
      failed_ = true;
      syntax_error();
      return false;
    }
    if (type() == YAML_SEQUENCE_START_EVENT || type() == YAML_MAPPING_START_EVENT) {
      // libyaml's scanner costs O(depth) per token: a hostile `[[[[...` would take minutes.
      if (++depth_ > static_cast<std::size_t>(std::max(opts_.max_depth, 8))) {
        failed_ = true;
        syntax_diag_ = make_diagnostic("RL001", files_.range(id_, start(), end()),
                                       "YAML nesting deeper than " + std::to_string(opts_.max_depth) + " levels; the file is not read further (" +
                                           limit_hint(LimitId::nesting, static_cast<std::uint64_t>(opts_.max_depth)) + ")");
        return false;
      }
    } else if (type() == YAML_SEQUENCE_END_EVENT || type() == YAML_MAPPING_END_EVENT) {
      --depth_;
    }
    return true;
  }
  yaml_event_type_t type() const { return ev_.type; }
  std::size_t start() const { return offset(ev_.start_mark); }
  std::size_t end() const { return offset(ev_.end_mark); }

  /// Byte offset of a libyaml mark (0-based line, column in characters).
  std::size_t offset(const yaml_mark_t& m) const {
    if (m.line >= lines_.size()) return text_.size();
    std::size_t p = lines_[m.line];
    for (std::size_t col = 0; col < m.column && p < text_.size(); ++col) {
      ++p;
      while (p < text_.size() && (static_cast<unsigned char>(text_[p]) & 0xC0) == 0x80) ++p;
    }
    return p;
  }

  /// "line L:C" of byte offset `at` (1-based), for messages that point at a second place.
  std::string position(std::size_t at) const {
    SourceRange r = files_.range(id_, at, at);
    return "line " + std::to_string(r.line) + ":" + std::to_string(r.column);
  }

  Scalar scalar() const {
    Scalar s;
    s.value.assign(reinterpret_cast<const char*>(ev_.data.scalar.value), ev_.data.scalar.length);
    s.begin = start();
    s.end = end();
    s.plain = ev_.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    return s;
  }

  /// Skips the node whose first event is current (a scalar, an alias or a whole collection).
  bool skip_node() {
    if (type() != YAML_SEQUENCE_START_EVENT && type() != YAML_MAPPING_START_EVENT) return true;
    std::size_t depth = 1;
    while (depth > 0) {
      if (!next()) return false;
      if (type() == YAML_SEQUENCE_START_EVENT || type() == YAML_MAPPING_START_EVENT) ++depth;
      if (type() == YAML_SEQUENCE_END_EVENT || type() == YAML_MAPPING_END_EVENT) --depth;
    }
    return true;
  }

  // --- diagnostics --------------------------------------------------------------------------
  void error(std::string_view code, std::size_t b, std::size_t e, std::string msg) {
    diags_.push_back(make_diagnostic(code, files_.range(id_, b, e), std::move(msg)));
  }
  void error_here(std::string msg) { error("RL001", start(), end(), std::move(msg)); }

  void syntax_error() {
    std::string msg = "YAML syntax error: ";
    msg += parser_.problem ? parser_.problem : "unknown problem";
    if (parser_.context) msg += std::string(" ") + parser_.context;
    std::size_t at = offset(parser_.problem_mark);
    syntax_diag_ = make_diagnostic("RL001", files_.range(id_, at, at), msg);
  }

  /// Reads a scalar value for `key`; a collection or an alias is a type error (skipped).
  std::optional<Scalar> scalar_value(std::string_view key) {
    if (type() == YAML_SCALAR_EVENT) return scalar();
    if (type() == YAML_ALIAS_EVENT) {
      error_here("YAML aliases are not supported in rule files (`" + std::string(key) + "`)");
      return std::nullopt;
    }
    error_here("`" + std::string(key) + "` must be a single value, found " + node_kind(type()));
    skip_node();
    return std::nullopt;
  }

  /// `host:` is a name or a list of names.
  std::optional<std::vector<Scalar>> host_value() {
    std::vector<Scalar> hosts;
    if (type() == YAML_SCALAR_EVENT) {
      hosts.push_back(scalar());
      return hosts;
    }
    if (type() != YAML_SEQUENCE_START_EVENT) {
      error_here("`host` must be a host name or a list of host names, found " + node_kind(type()));
      skip_node();
      return std::nullopt;
    }
    while (next() && type() != YAML_SEQUENCE_END_EVENT) {
      if (type() == YAML_SCALAR_EVENT) {
        hosts.push_back(scalar());
      } else {
        error_here("each `host` entry must be a host name, found " + node_kind(type()));
        skip_node();
      }
    }
    return hosts;
  }

  /// Reads the next key of the current mapping into `key` and moves to its value. False at the end of
  /// the mapping or on a syntax error. A key that is not a scalar is reported (`what` names the
  /// mapping) and skipped with its value.
  bool next_key(Scalar& key, std::string_view what) {
    while (next() && type() != YAML_MAPPING_END_EVENT) {
      if (type() == YAML_SCALAR_EVENT) {
        key = scalar();
        return next();
      }
      error_here("keys of " + std::string(what) + " must be plain names, found " + node_kind(type()));
      if (!skip_node() || !next() || !skip_node()) return false;
    }
    return false;
  }

  /// Reports an unknown key (RL002) with the nearest known one; returns that suggestion ("" if none).
  std::string unknown_key(const Scalar& key, std::string_view where, const std::vector<std::string_view>& known) {
    std::string near = did_you_mean(key.value, known);
    std::string list;
    for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    error("RL002", key.begin, key.end,
          "unknown key " + quoted(key.value) + " " + std::string(where) + (near.empty() ? "" : " (did you mean " + quoted(near) + "?)") +
              "; known: " + list);
    return near;
  }

  void read_defaults();
  void read_redirects();
  void read_entry();
  void build_rule(const Entry& e);

  SourceFiles& files_;
  FileId id_;
  const ParseOptions& opts_;
  RuleSet& rs_;
  const std::string& text_;
  const std::vector<std::uint32_t>& lines_;
  yaml_parser_t parser_;
  yaml_event_t ev_;
  bool have_event_ = false;
  bool failed_ = false;
  std::size_t depth_ = 0;  // open collections
  std::optional<Diagnostic> syntax_diag_;
  std::vector<Diagnostic> diags_;  // reported only when the file turns out to be ours
  Defaults defaults_;
  bool seen_redirects_ = false;
};

void YamlReader::run() {
  rs_.rules.reserve(file_rules::count_occurrences(text_, "from"));  // an upper bound of the entries
  std::optional<Scalar> version;
  bool root_is_mapping = false;
  std::size_t root_begin = 0;
  std::string found;  // what the root holds, for the "not ours" message
  [&] {
    if (!next() || !next()) return;  // STREAM-START, then DOCUMENT-START or STREAM-END
    if (type() == YAML_STREAM_END_EVENT) {
      found = "the file is empty";
      return;
    }
    if (!next()) return;  // the root node
    root_begin = start();
    if (type() != YAML_MAPPING_START_EVENT) {
      found = "the file holds " + node_kind(type());
      skip_node();
      return;
    }
    root_is_mapping = true;
    std::vector<std::string> keys;
    std::vector<Scalar> seen;  // the top-level keys met so far: a second one is an error, not last-wins
    Scalar key;
    while (next_key(key, "the top-level mapping")) {
      if (keys.size() < 3) keys.push_back(key.value);
      auto first = std::find_if(seen.begin(), seen.end(), [&](const Scalar& s) { return s.value == key.value; });
      if (first != seen.end()) {
        error("RL001", key.begin, key.end,
              "duplicate top-level key " + quoted(key.value) + " (first at " + position(first->begin) +
                  "); this one is not read");
        if (!skip_node()) return;
        continue;
      }
      if (seen.size() < 8) seen.push_back(key);
      if (key.value == "version") {
        version = scalar_value("version");
      } else if (key.value == "defaults") {
        if (seen_redirects_) error("RL001", key.begin, key.end, "`defaults:` must come before `redirects:` (the file is read in one pass)");
        read_defaults();
      } else if (key.value == "redirects") {
        seen_redirects_ = true;
        read_redirects();
      } else {
        unknown_key(key, "at the top level", kTopKeys);
        if (!skip_node()) return;
      }
    }
    if (failed_) return;
    if (!next()) return;  // DOCUMENT-END
    if (!next()) return;  // STREAM-END or another document
    if (type() == YAML_DOCUMENT_START_EVENT) error_here("a rule file holds one YAML document; this second one is not read");
    if (keys.empty()) found = "the file holds an empty mapping";
    else {
      found = "top-level keys ";
      for (std::size_t i = 0; i < keys.size(); ++i) found += (i ? ", " : "") + quoted(keys[i]);
    }
  }();

  // `version: 1`, or a version next to `redirects:`. A docker-compose file (`version: "3.8"`, no
  // `redirects`) or another tool's map (`redirects:` without a version) is not ours.
  bool ours = version && (version->value == "1" || seen_redirects_);
  if (!ours) {
    rs_.rules.clear();
    if (syntax_diag_) {
      rs_.parse_diags.push_back(*syntax_diag_);
      return;
    }
    std::string msg(kNotOurs);
    if (!found.empty()) msg += ": " + found;
    if (root_is_mapping) msg += "; add `version: 1` if this is meant to be one";
    rs_.parse_diags.push_back(make_diagnostic("RL001", files_.range(id_, root_begin, root_begin), msg));
    return;
  }
  if (version->value != "1")
    error("RL001", version->begin, version->end,
          "unsupported rule file version " + quoted(version->value) + ": this redirlint reads version 1");
  if (!seen_redirects_ && !failed_) error("RL001", root_begin, root_begin, "the rule file has no `redirects:` list");
  for (Diagnostic& d : diags_) rs_.parse_diags.push_back(std::move(d));
  if (syntax_diag_) rs_.parse_diags.push_back(*syntax_diag_);
}

void YamlReader::read_defaults() {
  if (type() != YAML_MAPPING_START_EVENT) {
    error_here("`defaults` must be a mapping of default values, found " + node_kind(type()));
    skip_node();
    return;
  }
  Scalar key;
  std::vector<Scalar> seen;
  while (next_key(key, "`defaults`")) {
    const std::string& k = key.value;
    auto first = std::find_if(seen.begin(), seen.end(), [&](const Scalar& s) { return s.value == k; });
    if (first != seen.end()) {
      error("RL001", key.begin, key.end,
            "duplicate key " + quoted(k) + " in `defaults` (first at " + position(first->begin) + "); this one is not read");
      if (!skip_node()) return;
      continue;
    }
    if (seen.size() < kDefaultKeys.size()) seen.push_back(key);
    if (k == "status") defaults_.status = scalar_value(k);
    else if (k == "match") defaults_.match = scalar_value(k);
    else if (k == "query") defaults_.query = scalar_value(k);
    else if (k == "force") defaults_.force = scalar_value(k);
    else if (k == "ignore_case") defaults_.ignore_case = scalar_value(k);
    else if (k == "host") defaults_.hosts = host_value();
    else {
      unknown_key(key, "in `defaults`", kDefaultKeys);
      if (!skip_node()) return;
    }
  }
}

void YamlReader::read_redirects() {
  if (type() != YAML_SEQUENCE_START_EVENT) {
    error_here("`redirects` must be a list of redirects (`- from: ...`), found " + node_kind(type()));
    skip_node();
    return;
  }
  while (next() && type() != YAML_SEQUENCE_END_EVENT) {
    if (type() != YAML_MAPPING_START_EVENT) {
      std::size_t before = diags_.size();
      error_here("each redirect is a mapping with `from` and `to`, found " + node_kind(type()));
      if (!skip_node()) {
        diags_.resize(before);  // the syntax error explains it
        return;
      }
      continue;
    }
    read_entry();
  }
}

void YamlReader::read_entry() {
  Entry e;
  e.diags_before = diags_.size();
  e.begin = start();
  e.end = end();
  Scalar key;
  while (next_key(key, "a redirect")) {
    const std::string& k = key.value;
    auto field = [&](std::optional<Scalar>& slot) {
      if (slot) error("RL001", key.begin, key.end, "duplicate key " + quoted(k) + " in this redirect");
      slot = scalar_value(k);
      if (!slot) e.suggested.push_back(k);  // already reported: no "has no `from`" on top
    };
    if (k == "from") field(e.from);
    else if (k == "to") field(e.to);
    else if (k == "status") field(e.status);
    else if (k == "match") field(e.match);
    else if (k == "query") field(e.query);
    else if (k == "until") field(e.until);
    else if (k == "note") field(e.note);
    else if (k == "force") field(e.force);
    else if (k == "ignore_case") field(e.ignore_case);
    else if (k == "host") {
      if (e.hosts) error("RL001", key.begin, key.end, "duplicate key \"host\" in this redirect (use a list for several hosts)");
      e.hosts_begin = start();
      e.hosts = host_value();
    } else {
      e.suggested.push_back(unknown_key(key, "in a redirect", kEntryKeys));
      if (!skip_node()) return;
    }
    e.end = end();
  }
  if (failed_) {
    diags_.resize(e.diags_before);  // the syntax error explains this entry; no cascade about its parts
    return;
  }
  build_rule(e);
}

// --- building a rule --------------------------------------------------------------------------

bool parse_bool(const Scalar& s, bool& out) {
  std::string v = file_rules::ascii_lower(s.value);
  if (v == "true" || v == "yes" || v == "on") out = true;
  else if (v == "false" || v == "no" || v == "off") out = false;
  else return false;
  return true;
}

/// The `to` text as a Target template: `$N` kept as a capture when the match is a regex.
std::string to_template(std::string_view to, bool captures, int& max_capture) {
  std::string out;
  max_capture = -1;
  for (std::size_t i = 0; i < to.size(); ++i) {
    char c = to[i];
    if (c == '$' && captures && i + 1 < to.size() && std::isdigit(static_cast<unsigned char>(to[i + 1]))) {
      out += c;
      out += to[++i];
      max_capture = std::max(max_capture, to[i] - '0');
      continue;
    }
    if (c == '$' || c == '%') out += c;
    out += c;
  }
  return out;
}

void YamlReader::build_rule(const Entry& e) {
  auto bad = [&](std::string_view code, const Scalar& s, std::string msg) { error(code, s.begin, s.end, std::move(msg)); };
  auto suggested = [&](std::string_view key) { return std::find(e.suggested.begin(), e.suggested.end(), key) != e.suggested.end(); };
  if (!e.from) {
    if (!suggested("from")) error("RL001", e.begin, e.begin, "this redirect has no `from`");
    return;
  }
  const Scalar& from = *e.from;
  Rule r;
  r.origin = Origin{Format::yaml, "yaml"};
  r.where = files_.range(id_, e.begin, e.end);
  r.original = text_.substr(e.begin, e.end - e.begin);

  // status
  const std::optional<Scalar>& status_s = e.status ? e.status : defaults_.status;
  r.status = 301;
  r.status_implicit = !status_s;
  if (status_s) {
    const std::string& v = status_s->value;
    bool digits = !v.empty() && v.size() <= 3 && v.find_first_not_of("0123456789") == std::string::npos;
    int code = digits ? std::stoi(v) : 0;
    bool redirect = code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    if (redirect || (code >= 400 && code <= 599)) r.status = code;
    else if (!digits) bad("RL004", *status_s, "`status` must be a number such as 301, found " + quoted(v));
    else bad("RL004", *status_s, "status " + v + " is not allowed in a rule file: use 301, 302, 303, 307, 308, or a 4xx/5xx answer");
  }
  r.action = r.status < 400 ? Action::redirect : Action::answer;

  // match kind and text
  std::string path = from.value;
  std::string scheme, host;
  std::optional<Scalar> match_s = e.match ? e.match : defaults_.match;
  MatchKind kind = MatchKind::exact;
  bool ends_star = path.size() >= 2 && path.compare(path.size() - 2, 2, "/*") == 0;
  if (match_s) {
    const std::string& m = match_s->value;
    if (m == "exact") kind = MatchKind::exact;
    else if (m == "prefix") kind = MatchKind::prefix;
    else if (m == "regex") kind = MatchKind::regex;
    else {
      std::string near = did_you_mean(m, {"exact", "prefix", "regex"});
      bad("RL001", *match_s, "`match` must be exact, prefix or regex, found " + quoted(m) + (near.empty() ? "" : " (did you mean " + quoted(near) + "?)"));
    }
  } else if (ends_star) {
    kind = MatchKind::prefix;
  }
  bool ignore_case = false;
  if (const std::optional<Scalar>& ic = e.ignore_case ? e.ignore_case : defaults_.ignore_case; ic && !parse_bool(*ic, ignore_case))
    bad("RL001", *ic, "`ignore_case` must be true or false, found " + quoted(ic->value));
  r.match.kind = kind;
  r.match.original = from.value;
  r.match.ignore_case = ignore_case;
  int groups = 0;
  if (kind == MatchKind::regex && quick_valid_regex(path, groups)) {
    r.match.text = path;
  } else if (kind == MatchKind::regex) {
    RegexError err;
    std::optional<Regex> re = Regex::compile(path, ignore_case, &err);
    if (!re) {
      std::size_t at = from.begin + (from.plain ? 0 : 1) + err.offset;
      if (at > from.end) at = from.end;
      error("RL003", at, at, "invalid regex " + quoted(path) + " in `from`: " + err.message);
    } else {
      groups = static_cast<int>(re->capture_count());
    }
    r.match.text = path;
  } else {
    if (file_rules::split_url(path, scheme, host, path)) {
      r.scope.hosts.push_back(host);
      r.scope.schemes.push_back(scheme);
    } else if (path.empty() || path[0] != '/') {
      bad("RL001", from, "`from` must be a path starting with '/' (or an http(s):// URL), found " + quoted(from.value));
    }
    if (kind == MatchKind::prefix && ends_star) path.resize(path.size() - 2);
    if (path.empty()) path = "/";
    r.match.text = file_rules::percent_decode(path);
  }

  // hosts
  const std::optional<std::vector<Scalar>>& hosts = e.hosts ? e.hosts : defaults_.hosts;
  if (hosts)
    for (const Scalar& h : *hosts) {
      if (h.value.empty() || h.value.find_first_of("/ \t?#") != std::string::npos)
        bad("RL001", h, "`host` must be a host name such as example.com, found " + quoted(h.value));
      else r.scope.hosts.push_back(file_rules::ascii_lower(h.value));
    }

  // target and query
  if (r.action == Action::redirect && !e.to) {
    if (!suggested("to")) error("RL001", from.begin, from.end, "the redirect from " + quoted(from.value) + " has no `to`");
    return;
  } else if (r.action == Action::answer && e.to) {
    bad("RL001", *e.to, "a " + std::to_string(r.status) + " answer has no target: remove `to`");
  }
  if (e.to && r.action == Action::redirect) {
    const Scalar& to = *e.to;
    if (to.value.empty()) bad("RL001", to, "`to` is empty");
    Target t;
    int max_cap = -1;
    t.url = to_template(to.value, kind == MatchKind::regex, max_cap);
    if (kind == MatchKind::regex && max_cap > groups)
      bad("RL005", to, "`to` uses $" + std::to_string(max_cap) + " but `from` has " + std::to_string(groups) + " group" + (groups == 1 ? "" : "s"));
    std::string head = file_rules::ascii_lower(to.value.substr(0, 8));
    t.absolute = head.rfind("http://", 0) == 0 || head.rfind("https://", 0) == 0;
    bool has_query = to.value.find('?') != std::string::npos;
    t.query = has_query ? QueryMode::replace : QueryMode::keep;
    if (const std::optional<Scalar>& q = e.query ? e.query : defaults_.query) {
      const std::string& v = q->value;
      if (v == "keep" || v == "drop") {
        if (has_query) bad("RL001", *q, "`query: " + v + "` conflicts with the query string in `to`; use append or replace");
        t.query = v == "keep" ? QueryMode::keep : QueryMode::drop;
      } else if (v == "append" || v == "replace") {
        t.query = !has_query ? (v == "append" ? QueryMode::keep : QueryMode::drop)
                             : (v == "append" ? QueryMode::append : QueryMode::replace);
      } else {
        std::string near = did_you_mean(v, {"keep", "drop", "append", "replace"});
        bad("RL001", *q, "`query` must be keep, drop, append or replace, found " + quoted(v) + (near.empty() ? "" : " (did you mean " + quoted(near) + "?)"));
      }
    }
    r.target = std::move(t);
  }

  // review notes and flags
  if (e.until) {
    if (file_rules::valid_iso_date(e.until->value)) r.notes->until = e.until->value;
    else bad("RL001", *e.until, "bad date " + quoted(e.until->value) + " in `until`: expected a real date written YYYY-MM-DD");
  }
  if (e.note) r.notes->note = e.note->value;
  if (const std::optional<Scalar>& f = e.force ? e.force : defaults_.force; f && !parse_bool(*f, r.force))
    bad("RL001", *f, "`force` must be true or false, found " + quoted(f->value));
  r.flow = Flow::stop;

  if (diags_.size() != e.diags_before) return;  // a broken entry is reported, not analysed
  r.id = static_cast<RuleId>(rs_.rules.size());
  rs_.rules.push_back(std::move(r));
}

}  // namespace

bool looks_like_rule_file(std::string_view text) {
  std::optional<std::string> version;
  bool redirects = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t e = text.find_first_of("\r\n", pos);
    std::string_view line = text.substr(pos, e == std::string_view::npos ? std::string_view::npos : e - pos);
    pos = e == std::string_view::npos ? text.size() : e + 1;
    if (line.rfind("redirects:", 0) == 0) redirects = true;
    if (line.rfind("version:", 0) != 0) continue;
    std::string_view v = line.substr(8);
    v = v.substr(0, v.find(" #"));
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
    version = std::string(v);
  }
  return version && (*version == "1" || redirects);
}

RuleSet parse_yaml(SourceFiles& files, FileId id, const ParseOptions& opts) {
  return file_rules::read_rule_file(files, id, Format::yaml, [&](RuleSet& rs) {
    YamlReader reader(files, id, opts, rs);
    reader.run();
  });
}

}  // namespace rl
