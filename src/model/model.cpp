#include "model/model.hpp"

#include <sstream>

namespace rl {

std::string_view to_string(Format f) {
  switch (f) {
    case Format::apache: return "apache";
    case Format::htaccess: return "htaccess";
    case Format::nginx: return "nginx";
    case Format::yaml: return "yaml";
    case Format::netlify: return "netlify";
    case Format::netlify_toml: return "netlify-toml";
    case Format::vercel: return "vercel";
    case Format::cloudflare_bulk: return "cloudflare-bulk";
    case Format::iis: return "iis";
    case Format::page: return "page";
  }
  return "?";
}

bool parse_format(std::string_view t, Format& out) {
  for (Format f : {Format::apache, Format::htaccess, Format::nginx, Format::yaml, Format::netlify, Format::netlify_toml,
                   Format::vercel, Format::cloudflare_bulk, Format::iis, Format::page})
    if (to_string(f) == t) {
      out = f;
      return true;
    }
  if (t == "web.config") {
    out = Format::iis;
    return true;
  }
  if (t == "netlify.toml" || t == "toml") {
    out = Format::netlify_toml;
    return true;
  }
  if (t == "vercel.json") {
    out = Format::vercel;
    return true;
  }
  if (t == "_redirects" || t == "cloudflare" || t == "redirects") {
    out = Format::netlify;
    return true;
  }
  return false;
}

bool is_file_rules(Format f) {
  return f == Format::yaml || f == Format::netlify || f == Format::netlify_toml || f == Format::vercel ||
         f == Format::cloudflare_bulk;
}

bool is_netlify_family(Format f) { return f == Format::netlify || f == Format::netlify_toml; }

std::string_view to_string(Context c) {
  switch (c) {
    case Context::server: return "server";
    case Context::per_directory: return "per-directory";
    case Context::file_rules: return "file-rules";
  }
  return "?";
}

std::string_view to_string(MatchKind k) {
  switch (k) {
    case MatchKind::exact: return "exact";
    case MatchKind::prefix: return "prefix";
    case MatchKind::regex: return "regex";
  }
  return "?";
}

std::string_view to_string(CondOp op) {
  switch (op) {
    case CondOp::regex: return "regex";
    case CondOp::equal: return "=";
    case CondOp::lt: return "<";
    case CondOp::gt: return ">";
    case CondOp::le: return "<=";
    case CondOp::ge: return ">=";
    case CondOp::int_eq: return "-eq";
    case CondOp::int_ne: return "-ne";
    case CondOp::int_lt: return "-lt";
    case CondOp::int_gt: return "-gt";
    case CondOp::int_le: return "-le";
    case CondOp::int_ge: return "-ge";
    case CondOp::file_exists: return "-f";
    case CondOp::dir_exists: return "-d";
    case CondOp::exists: return "-e";
    case CondOp::executable: return "-x";
    case CondOp::size_nonzero: return "-s";
    case CondOp::symlink: return "-l";
    case CondOp::url_exists: return "-U";
    case CondOp::truthy: return "truthy";
  }
  return "?";
}

std::string_view to_string(QueryMode q) {
  switch (q) {
    case QueryMode::keep: return "keep";
    case QueryMode::replace: return "replace";
    case QueryMode::append: return "append";
    case QueryMode::drop: return "drop";
  }
  return "?";
}

std::string_view to_string(Flow f) {
  switch (f) {
    case Flow::stop: return "stop";
    case Flow::next: return "next";
    case Flow::restart: return "restart";
    case Flow::end: return "end";
  }
  return "?";
}

std::string_view to_string(Action a) {
  switch (a) {
    case Action::redirect: return "redirect";
    case Action::answer: return "answer";
    case Action::rewrite: return "rewrite";
    case Action::none: return "none";
  }
  return "?";
}

std::string_view to_string(LocationMod m) {
  switch (m) {
    case LocationMod::none: return "";
    case LocationMod::exact: return "=";
    case LocationMod::prefix_noregex: return "^~";
    case LocationMod::regex: return "~";
    case LocationMod::regex_nocase: return "~*";
    case LocationMod::named: return "@";
  }
  return "?";
}

namespace {

std::string pos(const SourceRange& r) {
  return std::to_string(r.line) + ":" + std::to_string(r.column);
}

std::string pattern_string(const Pattern& p) {
  std::string s;
  if (p.negated) s += "!";
  s += to_string(p.kind);
  s += " \"" + p.text + "\"";
  if (p.ignore_case) s += " nocase";
  return s;
}

}  // namespace

std::string debug_string(const RuleSet& rs) {
  std::ostringstream o;
  o << "ruleset format=" << to_string(rs.format) << " context=" << to_string(rs.context);
  if (rs.context == Context::per_directory) o << " dir=" << rs.dir;
  o << "\n";
  for (std::size_t i = 0; i < rs.blocks.size(); ++i) {
    const Block& b = rs.blocks[i];
    o << "block " << i << " @" << pos(b.where) << " " << b.directive;
    if (!b.argument.empty()) o << " \"" << b.argument << "\"";
    if (b.parent >= 0) o << " parent=" << b.parent;
    if (!b.server_names.empty()) {
      o << " names=";
      for (std::size_t k = 0; k < b.server_names.size(); ++k) o << (k ? "," : "") << b.server_names[k];
    }
    if (!b.ports.empty()) {
      o << " ports=";
      for (std::size_t k = 0; k < b.ports.size(); ++k) o << (k ? "," : "") << b.ports[k];
    }
    if (b.https) o << " https";
    if (b.default_server) o << " default";
    if (b.kind == BlockKind::location && b.mod != LocationMod::none) o << " mod=" << to_string(b.mod);
    if (!b.path.empty()) o << " path=\"" << b.path << "\"";
    if (b.rewrite_engine) o << " rewrite_engine=" << (*b.rewrite_engine ? "on" : "off");
    if (b.rewrite_base) o << " rewrite_base=" << *b.rewrite_base;
    o << "\n";
  }
  for (const Rule& r : rs.rules) {
    o << "rule " << r.id << " @" << pos(r.where) << " " << r.origin.directive << " " << pattern_string(r.match)
      << " -> " << to_string(r.action) << " " << r.status << (r.status_implicit ? " (implicit)" : "");
    if (r.target) o << " \"" << r.target->url << "\" query=" << to_string(r.target->query);
    o << " flow=" << to_string(r.flow);
    if (r.scope.block >= 0) o << " block=" << r.scope.block;
    if (r.scope.server >= 0) o << " server=" << r.scope.server;
    if (!r.scope.hosts.empty()) {
      o << " hosts=";
      for (std::size_t k = 0; k < r.scope.hosts.size(); ++k) o << (k ? "," : "") << r.scope.hosts[k];
    }
    if (!r.scope.schemes.empty()) {
      o << " schemes=";
      for (std::size_t k = 0; k < r.scope.schemes.size(); ++k) o << (k ? "," : "") << r.scope.schemes[k];
    }
    if (r.force) o << " force";
    if (r.notes->until) o << " until=" << *r.notes->until;
    o << "\n";
    for (const Condition& c : r.conds) {
      o << "  cond \"" << c.test << "\" " << to_string(c.op) << " " << pattern_string(c.pattern)
        << (c.or_next ? " [OR]" : "") << "\n";
    }
  }
  for (const Unmodelled& u : rs.unmodelled)
    o << "unmodelled @" << pos(u.where) << " " << u.directive << (u.relevant ? " (relevant)" : "") << "\n";
  return o.str();
}

}  // namespace rl
