#pragma once
// Hand-built RuleSets for the emitter unit tests (the model as the parsers build it).
#include <string>
#include <vector>

#include "emit/emit.hpp"

using namespace rl;


inline Rule rule(MatchKind k, std::string pat, std::string url, int status, QueryMode q = QueryMode::keep,
          std::string directive = "RewriteRule") {
  Rule r;
  r.origin.format = Format::apache;
  r.origin.directive = directive;
  r.match.kind = k;
  r.match.text = pat;
  r.match.original = pat;
  r.action = status == 0 ? Action::rewrite : status >= 400 ? Action::answer : Action::redirect;
  r.status = status;
  if (status < 400) r.target = Target{url, q, url.find("://") != std::string::npos};
  r.flow = Flow::stop;
  r.original = directive + " " + pat + " " + url;
  r.where = SourceRange{0, 1, 1, 1, 10};
  return r;
}

inline RuleSet set_of(std::vector<Rule> rules, Format f = Format::apache) {
  RuleSet rs;
  rs.format = f;
  rs.rewrite_engine = true;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    rules[i].id = static_cast<RuleId>(i);
    rules[i].where.line = static_cast<std::uint32_t>(i + 1);
  }
  rs.rules = std::move(rules);
  return rs;
}

inline Emitted convert(const RuleSet& rs, Format to) {
  SourceFiles files;
  files.add("site.conf", "");
  EmitOptions o;
  o.source_name = "site.conf";
  o.version = "test";
  return emit(rs, to, o, files);
}

inline Emitted to_nginx(const RuleSet& rs) { return convert(rs, Format::nginx); }

inline bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

