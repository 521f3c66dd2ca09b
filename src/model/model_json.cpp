#include "model/model_json.hpp"

namespace rl {

using nlohmann::ordered_json;

ordered_json to_json(const SourceRange& r, const SourceFiles& files) {
  ordered_json j;
  j["file"] = r.file < files.size() ? files.path(r.file) : std::string();
  j["start"] = {{"line", r.line}, {"column", r.column}};
  j["end"] = {{"line", r.end_line}, {"column", r.end_column}};
  return j;
}

namespace {

ordered_json pattern_json(const Pattern& p) {
  ordered_json j;
  j["kind"] = std::string(to_string(p.kind));
  j["text"] = p.text;
  j["ignore_case"] = p.ignore_case;
  j["negated"] = p.negated;
  if (!p.original.empty()) j["original"] = p.original;
  return j;
}

ordered_json strings(const std::vector<std::string>& v) {
  ordered_json a = ordered_json::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

}  // namespace

ordered_json to_json(const RuleSet& rs, const SourceFiles& files) {
  ordered_json j;
  j["version"] = 1;
  j["format"] = std::string(to_string(rs.format));
  j["context"] = std::string(to_string(rs.context));
  j["file"] = rs.file < files.size() ? files.path(rs.file) : std::string();
  if (rs.context == Context::per_directory) j["dir"] = rs.dir;
  ordered_json blocks = ordered_json::array();
  for (const Block& b : rs.blocks) {
    ordered_json bj;
    bj["directive"] = b.directive;
    bj["argument"] = b.argument;
    bj["parent"] = b.parent;
    if (!b.server_names.empty()) bj["server_names"] = strings(b.server_names);
    if (!b.ports.empty()) bj["ports"] = b.ports;
    if (b.https) bj["https"] = true;
    if (b.default_server) bj["default_server"] = true;
    if (b.kind == BlockKind::location) bj["modifier"] = std::string(to_string(b.mod));
    if (!b.path.empty()) bj["path"] = b.path;
    bj["where"] = to_json(b.where, files);
    blocks.push_back(bj);
  }
  j["blocks"] = blocks;
  ordered_json rules = ordered_json::array();
  for (const Rule& r : rs.rules) {
    ordered_json rj;
    rj["id"] = r.id;
    rj["directive"] = r.origin.directive;
    rj["match"] = pattern_json(r.match);
    ordered_json conds = ordered_json::array();
    for (const Condition& c : r.conds) {
      ordered_json cj;
      cj["test"] = c.test;
      cj["op"] = std::string(to_string(c.op));
      cj["pattern"] = pattern_json(c.pattern);
      cj["or_next"] = c.or_next;
      conds.push_back(cj);
    }
    rj["conditions"] = conds;
    rj["action"] = std::string(to_string(r.action));
    rj["status"] = r.status;
    rj["status_implicit"] = r.status_implicit;
    if (r.target) rj["target"] = {{"url", r.target->url}, {"query", std::string(to_string(r.target->query))}, {"absolute", r.target->absolute}};
    rj["flow"] = std::string(to_string(r.flow));
    ordered_json scope;
    scope["block"] = r.scope.block;
    scope["server"] = r.scope.server;
    scope["hosts"] = strings(r.scope.hosts);
    scope["schemes"] = strings(r.scope.schemes);
    if (!r.scope.dir.empty()) scope["dir"] = r.scope.dir;
    rj["scope"] = scope;
    if (r.force) rj["force"] = true;
    if (r.notes->until) rj["until"] = *r.notes->until;
    if (!r.notes->note.empty()) rj["note"] = r.notes->note;
    rj["where"] = to_json(r.where, files);
    rj["original"] = r.original;
    rules.push_back(rj);
  }
  j["rules"] = rules;
  ordered_json um = ordered_json::array();
  for (const Unmodelled& u : rs.unmodelled)
    um.push_back({{"directive", u.directive}, {"relevant", u.relevant}, {"where", to_json(u.where, files)}});
  j["unmodelled"] = um;
  return j;
}

}  // namespace rl
