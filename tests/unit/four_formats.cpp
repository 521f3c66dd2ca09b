// One rule set written as Apache, nginx, a YAML rule file, `_redirects` and netlify.toml reads into the same model
// (issue 3, "Done means"): compared on the format-neutral fields after normalisation.
//
// The rule set: an exact 301 (query kept), a section moved by prefix, a regex with a capture, a 302
// that drops the query, a 410.
//
// Normalisation (what "the same" means across formats, each documented where the parser lives):
// - a regex `^literal$` is the exact match `literal` (Apache/nginx have no exact-match directive
//   outside `location =`);
// - a segment prefix may be written as the regex `^/x(/.*)?$` with `$1` at the end of the target
//   (nginx), or as `_redirects`' `/x/*` → `^/x(?:/(?<splat>.*))?$` with `${splat}` after a '/';
// - `_redirects` placeholders are named groups (`(?<id>[^/]+)` + `${ph:id}`) and a dynamic source
//   also matches with a trailing slash (`/?$`): both are reduced to numbered groups and `$`;
// - an answer (4xx) carries no target in the comparison (`_redirects` needs a page to show).
// Known differences, not normalised away: `_redirects` cannot drop the query string (rule 4 is not
// written in it), and its exact matches also accept a trailing slash (Pattern::optional_trailing_slash).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "parse/parse.hpp"
#include "util/regex.hpp"

using namespace rl;

namespace {

const char* kApache =
    "RedirectMatch 301 ^/old-page$ /new-page\n"
    "Redirect 301 /docs /documentation\n"
    "RedirectMatch 301 ^/blog/([^/]+)$ /posts/$1\n"
    "RewriteEngine On\n"
    "RewriteRule ^/promo$ /sale [R=302,QSD,L]\n"
    "RedirectMatch gone ^/retired$\n";

const char* kNginx =
    "server {\n"
    "    listen 80;\n"
    "    location = /old-page { return 301 /new-page$is_args$args; }\n"
    "    rewrite ^/docs(/.*)?$ /documentation$1 permanent;\n"
    "    rewrite ^/blog/([^/]+)$ /posts/$1 permanent;\n"
    "    location = /promo { return 302 /sale; }\n"
    "    location = /retired { return 410; }\n"
    "}\n";

const char* kYaml =
    "version: 1\n"
    "redirects:\n"
    "  - {from: /old-page, to: /new-page}\n"
    "  - {from: /docs/*, to: /documentation}\n"
    "  - {from: '^/blog/([^/]+)$', match: regex, to: /posts/$1}\n"
    "  - {from: /promo, to: /sale, status: 302, query: drop}\n"
    "  - {from: /retired, status: 410}\n";

const char* kNetlify =
    "/old-page  /new-page              301\n"
    "/docs/*    /documentation/:splat  301\n"
    "/blog/:id  /posts/:id             301\n"
    "/retired   /gone.html             410\n";

// netlify.toml: the `_redirects` form as tables (Netlify gives both the same meaning).
const char* kNetlifyToml =
    "[build]\n"
    "  publish = \"public\"\n"
    "[[redirects]]\n  from = \"/old-page\"\n  to = \"/new-page\"\n  status = 301\n"
    "[[redirects]]\n  from = \"/docs/*\"\n  to = \"/documentation/:splat\"\n"
    "[[redirects]]\n  from = \"/blog/:id\"\n  to = \"/posts/:id\"\n  status = 301\n"
    "[[redirects]]\n  from = \"/retired\"\n  to = \"/gone.html\"\n  status = 410\n";

/// The format-neutral fields of one rule, normalised.
struct Neutral {
  std::string match;   // "exact /x", "prefix /x", "regex ^...$"
  std::string action;  // redirect / answer / rewrite
  int status = 0;
  std::string target;  // "" for answers
  std::string query;   // QueryMode, "" for answers

  std::string str() const {
    return match + " -> " + action + " " + std::to_string(status) + (target.empty() ? "" : " " + target) +
           (query.empty() ? "" : " query=" + query);
  }
};

bool is_literal(std::string_view s) { return s.find_first_of("\\^$.|?*+()[]{}") == std::string_view::npos; }

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

/// Named groups → numbered groups, in order; `${ph:NAME}` → `$N`.
void number_named_groups(std::string& re, std::string& target) {
  auto compiled = Regex::compile(re, false);
  REQUIRE(compiled);
  for (const auto& [name, number] : compiled->names()) {
    replace_all(re, "(?<" + name + ">", "(");
    replace_all(target, "${ph:" + name + "}", "$" + std::to_string(number));
  }
}

Neutral neutral(const Rule& r) {
  Neutral n;
  n.action = std::string(to_string(r.action));
  n.status = r.status;
  std::string text = r.match.text;
  std::string target = r.target && r.action != Action::answer ? r.target->url : "";
  MatchKind kind = r.match.kind;
  if (is_netlify_family(r.origin.format) && kind == MatchKind::regex) {
    // `/x/*` is the segment prefix `/x`; `${splat}` after it is the appended remainder.
    const std::string splat_tail = "(?:/(?<splat>.*))?$";
    if (text.size() > splat_tail.size() && text.compare(text.size() - splat_tail.size(), splat_tail.size(), splat_tail) == 0 &&
        target.size() > 9 && target.compare(target.size() - 9, 9, "/${splat}") == 0) {
      std::string lit = text.substr(1, text.size() - 1 - splat_tail.size());
      if (is_literal(lit)) {
        kind = MatchKind::prefix;
        text = lit;
        target.resize(target.size() - 9);
      }
    } else {
      number_named_groups(text, target);
      if (text.size() > 3 && text.compare(text.size() - 3, 3, "/?$") == 0) text.replace(text.size() - 3, 3, "$");
    }
  }
  if (kind == MatchKind::regex) {
    const std::string seg_tail = "(/.*)?$";
    if (text.size() > 2 && text.front() == '^' && text.back() == '$' && is_literal(text.substr(1, text.size() - 2))) {
      kind = MatchKind::exact;
      text = text.substr(1, text.size() - 2);
    } else if (text.size() > seg_tail.size() + 1 && text.front() == '^' &&
               text.compare(text.size() - seg_tail.size(), seg_tail.size(), seg_tail) == 0 && target.size() > 2 &&
               target.compare(target.size() - 2, 2, "$1") == 0 &&
               is_literal(text.substr(1, text.size() - 1 - seg_tail.size()))) {
      kind = MatchKind::prefix;
      text = text.substr(1, text.size() - 1 - seg_tail.size());
      target.resize(target.size() - 2);
    }
  }
  n.match = std::string(to_string(kind)) + " " + text;
  n.target = target;
  if (r.target && r.action != Action::answer) n.query = std::string(to_string(r.target->query));
  return n;
}

std::vector<std::string> neutral_rules(Format format, const char* text) {
  SourceFiles files;
  FileId id = files.add("four", text);
  ParseOptions opts;
  RuleSet rs;
  switch (format) {
    case Format::apache: rs = parse_apache(files, id, Format::apache, opts); break;
    case Format::nginx: rs = parse_nginx(files, id, opts); break;
    case Format::yaml: rs = parse_yaml(files, id, opts); break;
    case Format::netlify_toml: rs = parse_netlify_toml(files, id, opts); break;
    default: rs = parse_netlify(files, id, opts); break;
  }
  std::string messages;
  for (const Diagnostic& d : rs.parse_diags) messages += std::string(to_string(format)) + ": " + d.message + "\n";
  CHECK_MESSAGE(rs.parse_diags.empty(), messages);
  std::vector<std::string> out;
  for (const Rule& r : rs.rules) out.push_back(neutral(r).str());
  return out;
}

const std::vector<std::string> kExpected = {
    "exact /old-page -> redirect 301 /new-page query=keep",
    "prefix /docs -> redirect 301 /documentation query=keep",
    "regex ^/blog/([^/]+)$ -> redirect 301 /posts/$1 query=keep",
    "exact /promo -> redirect 302 /sale query=drop",
    "exact /retired -> answer 410",
};

}  // namespace

TEST_CASE("the Apache form of the rule set reads into the common model") {
  CHECK(neutral_rules(Format::apache, kApache) == kExpected);
}

TEST_CASE("the nginx form of the rule set reads into the common model") {
  CHECK(neutral_rules(Format::nginx, kNginx) == kExpected);
}

TEST_CASE("the YAML form of the rule set reads into the common model") {
  CHECK(neutral_rules(Format::yaml, kYaml) == kExpected);
}

TEST_CASE("the _redirects form reads into the same model, except the query drop it cannot express") {
  std::vector<std::string> expected = kExpected;
  expected.erase(expected.begin() + 3);
  CHECK(neutral_rules(Format::netlify, kNetlify) == expected);
}

TEST_CASE("the netlify.toml form reads into the same model as the _redirects form") {
  CHECK(neutral_rules(Format::netlify_toml, kNetlifyToml) == neutral_rules(Format::netlify, kNetlify));
}

TEST_CASE("the four forms agree rule by rule on every format-neutral field") {
  std::vector<std::string> apache = neutral_rules(Format::apache, kApache);
  std::vector<std::string> nginx = neutral_rules(Format::nginx, kNginx);
  std::vector<std::string> yaml = neutral_rules(Format::yaml, kYaml);
  std::vector<std::string> netlify = neutral_rules(Format::netlify, kNetlify);
  CHECK(apache == yaml);
  CHECK(nginx == yaml);
  REQUIRE(netlify.size() == 4);
  CHECK(netlify[0] == yaml[0]);
  CHECK(netlify[1] == yaml[1]);
  CHECK(netlify[2] == yaml[2]);
  CHECK(netlify[3] == yaml[4]);
}
