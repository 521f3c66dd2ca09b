// netlify.toml (src/parse/netlify_toml.cpp), vercel.json (src/parse/vercel.cpp) and Cloudflare Bulk
// Redirects CSV (src/parse/cloudflare_bulk.cpp) into the model, answered by the file-rules simulator;
// and a site's _redirects + netlify.toml read as one rule set (cli/inputs.cpp, Netlify's order).
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "checks/run.hpp"
#include "cli/inputs.hpp"
#include "parse/parse.hpp"
#include "simulate/simulate.hpp"

using namespace rl;

namespace {

struct Parsed {
  SourceFiles files;
  RuleSet rs;
};

void parse(Parsed& p, Format f, const std::string& name, const std::string& text) {
  FileId id = p.files.add(name, text);
  ParseOptions opts;
  opts.format = f;
  p.rs = parse_file(p.files, id, opts);
}

/// "STATUS LOCATION", "- PATH" (no rule answered; the path served) or "unknown".
std::string answer(const RuleSet& rs, const std::string& url, const Request& base = {}) {
  std::string err;
  Request req;
  REQUIRE(parse_request(url, req, err, base));
  Outcome o = simulate(rs, req);
  if (o.kind == OutcomeKind::redirect || o.kind == OutcomeKind::answer)
    return std::to_string(o.status) + " " + (o.location.empty() ? "-" : o.location);
  if (o.kind == OutcomeKind::limit || o.kind == OutcomeKind::unknown) return "unknown";
  return "- " + o.final_path;
}

bool has_code(const RuleSet& rs, std::string_view code, std::uint32_t line) {
  for (const Diagnostic& d : rs.parse_diags)
    if (d.code == code && d.range.line == line) return true;
  return false;
}

}  // namespace

TEST_CASE("netlify.toml: [[redirects]] tables become _redirects rules at the table's position") {
  Parsed p;
  parse(p, Format::netlify_toml, "netlify.toml",
        "[build]\n"
        "  publish = \"public\"\n"
        "\n"
        "[[redirects]]\n"
        "  from = \"/blog/*\"\n"
        "  to = \"/posts/:splat\"\n"
        "\n"
        "[[redirects]]\n"
        "  from = \"/shop\"\n"
        "  to = \"/de/shop\"\n"
        "  status = 302\n"
        "  force = true\n"
        "  conditions = {Country = [\"DE\", \"AT\"], Language = [\"de\"]}\n"
        "\n"
        "[[redirects]]\n"
        "  from = \"/search\"\n"
        "  to = \"/find/:term\"\n"
        "  query = {q = \":term\"}\n");
  REQUIRE(p.rs.parse_diags.empty());
  REQUIRE(p.rs.rules.size() == 3);
  const Rule& splat = p.rs.rules[0];
  CHECK(splat.where.line == 4);
  CHECK(splat.where.end_line == 6);
  CHECK(splat.status == 301);
  CHECK(splat.status_implicit);
  CHECK_FALSE(splat.force);
  const Rule& shop = p.rs.rules[1];
  CHECK(shop.force);
  REQUIRE(shop.conds.size() == 2);
  CHECK(shop.conds[0].test == "${country}");
  CHECK(shop.conds[0].pattern.text == "^(?:DE|AT)$");
  CHECK(shop.conds[1].test == "${language}");
  CHECK(answer(p.rs, "/blog/a/b") == "301 /posts/a/b");
  CHECK(answer(p.rs, "/blog") == "301 /posts/");
  Request de;
  de.country = "de";
  de.language = "de-AT";
  CHECK(answer(p.rs, "/shop", de) == "302 /de/shop");
  CHECK(answer(p.rs, "/shop") == "- /shop");
  CHECK(answer(p.rs, "/search?q=shoes") == "301 /find/shoes");
  CHECK(answer(p.rs, "/search") == "- /search");
}

TEST_CASE("netlify.toml: wrong types, unknown keys and bad TOML are diagnostics on their lines") {
  Parsed p;
  parse(p, Format::netlify_toml, "netlify.toml",
        "[[redirects]]\n"
        "  from = \"/a\"\n"
        "  to = \"/b\"\n"
        "  status = \"301\"\n"
        "\n"
        "[[redirects]]\n"
        "  from = \"/c\"\n"
        "  to = \"/d\"\n"
        "  forse = true\n");
  CHECK(has_code(p.rs, "RL001", 4));  // status must be an integer: the rule is not read
  CHECK(has_code(p.rs, "RL002", 9));  // unknown key, "force" suggested
  REQUIRE(p.rs.rules.size() == 1);
  CHECK(p.rs.rules[0].match.text == "/c");

  Parsed bad;
  parse(bad, Format::netlify_toml, "netlify.toml", "[[redirects]]\n  from = \"/a\n");
  REQUIRE_FALSE(bad.rs.parse_diags.empty());
  CHECK(bad.rs.parse_diags[0].code == "RL001");
  CHECK(bad.rs.parse_diags[0].range.line == 2);
  CHECK(bad.rs.rules.empty());
}

TEST_CASE("vercel.json: path-to-regexp sources and destinations, permanent and statusCode") {
  Parsed p;
  parse(p, Format::vercel, "vercel.json",
        "{\n"
        "  \"redirects\": [\n"
        "    { \"source\": \"/old-docs/:path*\", \"destination\": \"/docs/:path*\" },\n"
        "    { \"source\": \"/user/:id(\\\\d+)\", \"destination\": \"/u/:id\", \"permanent\": false },\n"
        "    { \"source\": \"/team/:name/(.*)\", \"destination\": \"/people/$1/$2\", \"statusCode\": 301 },\n"
        "    { \"source\": \"/files/:rest+\", \"destination\": \"/f/:rest+\" },\n"
        "    { \"source\": \"/v/:x?\", \"destination\": \"/w/:x?\" }\n"
        "  ],\n"
        "  \"rewrites\": [{ \"source\": \"/app/:path*\", \"destination\": \"/index.html\" }]\n"
        "}\n");
  REQUIRE(p.rs.parse_diags.empty());
  REQUIRE(p.rs.rules.size() == 6);
  CHECK(p.rs.rules[0].where.line == 3);
  CHECK(p.rs.rules[0].where.column == 5);
  CHECK(p.rs.rules[0].status == 308);
  CHECK(p.rs.rules[0].status_implicit);
  CHECK(p.rs.rules[1].status == 307);
  CHECK_FALSE(p.rs.rules[1].status_implicit);
  // The optional parameter and its '/' go together, in the source and in the destination.
  CHECK(answer(p.rs, "/old-docs") == "308 /docs");
  CHECK(answer(p.rs, "/old-docs/a/b?x=1") == "308 /docs/a/b?x=1");
  CHECK(answer(p.rs, "/old-docsx") == "- /old-docsx");
  CHECK(answer(p.rs, "/user/42") == "307 /u/42");
  CHECK(answer(p.rs, "/user/ab") == "- /user/ab");
  // $1 is the first parameter group (:name), $2 the unnamed one.
  CHECK(answer(p.rs, "/team/ann/x/y") == "301 /people/ann/x/y");
  CHECK(answer(p.rs, "/files") == "- /files");
  CHECK(answer(p.rs, "/files/a/b") == "308 /f/a/b");
  CHECK(answer(p.rs, "/v") == "308 /w");
  CHECK(answer(p.rs, "/v/1") == "308 /w/1");
  // Strict: no trailing slash added or removed.
  CHECK(answer(p.rs, "/user/42/") == "- /user/42/");
  // A rewrite runs after the filesystem: not forced, served internally.
  CHECK_FALSE(p.rs.rules[5].force);
  CHECK(p.rs.rules[5].action == Action::rewrite);
  CHECK(answer(p.rs, "/app/x") == "- /index.html");
}

TEST_CASE("vercel.json: has / missing conditions, host scope, and what is not modelled") {
  Parsed p;
  parse(p, Format::vercel, "vercel.json",
        "{\"redirects\": [\n"
        " {\"source\": \"/(.*)\", \"has\": [{\"type\": \"host\", \"value\": \"www.example.com\"}],"
        " \"destination\": \"https://example.com/$1\"},\n"
        " {\"source\": \"/beta\", \"missing\": [{\"type\": \"cookie\", \"key\": \"beta\"}], \"destination\": \"/\"},\n"
        " {\"source\": \"/q\", \"has\": [{\"type\": \"query\", \"key\": \"lang\", \"value\": \"de|at\"}], \"destination\": \"/de\"},\n"
        " {\"source\": \"/h\", \"has\": [{\"type\": \"header\", \"key\": \"x-beta\"}], \"destination\": \"/beta-h\"},\n"
        " {\"source\": \"/{a}\", \"destination\": \"/b\"}\n"
        "]}\n");
  CHECK(has_code(p.rs, "RL006", 6));  // {...} groups are not compiled
  REQUIRE(p.rs.rules.size() == 4);
  Request www;
  www.host = "www.example.com";
  CHECK(answer(p.rs, "/a/b", www) == "308 https://example.com/a/b");
  // "www.example.com" is a regex to Vercel: '.' matches any character.
  Request wwwx;
  wwwx.host = "wwwxexample.com";
  CHECK(answer(p.rs, "/a", wwwx) == "308 https://example.com/a");
  CHECK(answer(p.rs, "/a") == "- /a");
  CHECK(answer(p.rs, "/beta") == "308 /");
  Request cookie;
  cookie.headers.push_back({"Cookie", "a=1; beta=yes"});
  CHECK(answer(p.rs, "/beta", cookie) == "- /beta");
  CHECK(answer(p.rs, "/q?lang=at") == "308 /de?lang=at");
  CHECK(answer(p.rs, "/q?lang=fr") == "- /q");
  Request header;
  header.headers.push_back({"X-Beta", "1"});
  CHECK(answer(p.rs, "/h", header) == "308 /beta-h");
  CHECK(answer(p.rs, "/h") == "- /h");
}

TEST_CASE("vercel.json: RL007 at the first route past the 1,024 limit; syntax errors with positions") {
  std::string text = "{\"redirects\": [\n";
  for (int i = 0; i < 1025; ++i)
    text += std::string(i ? ",\n" : "") + "{\"source\": \"/r" + std::to_string(i) + "\", \"destination\": \"/t\"}";
  text += "\n]}\n";
  Parsed p;
  parse(p, Format::vercel, "vercel.json", text);
  CHECK(has_code(p.rs, "RL007", 1026));
  CHECK_FALSE(has_code(p.rs, "RL007", 1025));

  Parsed bad;
  parse(bad, Format::vercel, "vercel.json", "{\"redirects\": [\n  {\"source\": \"/a\",}\n]}\n");
  REQUIRE_FALSE(bad.rs.parse_diags.empty());
  CHECK(bad.rs.parse_diags[0].code == "RL001");
  CHECK(bad.rs.parse_diags[0].range.line == 2);
}

TEST_CASE("Cloudflare Bulk Redirects CSV: the seven columns and what each flag does") {
  Parsed p;
  parse(p, Format::cloudflare_bulk, "redirects.csv",
        "example.com/old,https://example.com/new\n"
        "example.com/docs,https://docs.example.com/,301,TRUE,FALSE,TRUE,TRUE\n"
        "example.com/press/,https://example.com/news,308,FALSE,FALSE,TRUE,FALSE\n"
        "shop.example.com/,https://example.com/shop,302,true,true,true,false\n"
        "\"example.com/a,b\",https://example.com/ab,307\n");
  REQUIRE(p.rs.parse_diags.empty());
  REQUIRE(p.rs.rules.size() == 5);
  CHECK(p.rs.rules[0].status == 301);
  CHECK(p.rs.rules[0].status_implicit);
  CHECK(p.rs.rules[3].where.line == 4);
  Request h;
  h.host = "example.com";
  // Exact path; the query is dropped without preserve query string.
  CHECK(answer(p.rs, "/old?x=1", h) == "301 https://example.com/new");
  CHECK(answer(p.rs, "/old/x", h) == "- /old/x");
  // Subpath matching with path suffix and query kept; '/' not doubled.
  CHECK(answer(p.rs, "/docs", h) == "301 https://docs.example.com/");
  CHECK(answer(p.rs, "/docs/a/b?v=2", h) == "301 https://docs.example.com/a/b?v=2");
  CHECK(answer(p.rs, "/docsx", h) == "- /docsx");
  // Subpath matching without path suffix: everything under it to the target as written.
  CHECK(answer(p.rs, "/press/2020/x", h) == "308 https://example.com/news");
  // Include subdomains: any host under shop.example.com.
  Request sub;
  sub.host = "eu.shop.example.com";
  CHECK(answer(p.rs, "/anything?q=1", sub) == "302 https://example.com/shop?q=1");
  CHECK(answer(p.rs, "/a,b", h) == "307 https://example.com/ab");
  // Another host: no row applies.
  Request other;
  other.host = "other.example";
  CHECK(answer(p.rs, "/old", other) == "- /old");
}

TEST_CASE("Cloudflare CSV: a header row, a bad flag and a bad status are reported at their row") {
  Parsed p;
  parse(p, Format::cloudflare_bulk, "redirects.csv",
        "source_url,target_url,status_code\n"
        "example.com/a,https://example.com/b,301,maybe\n"
        "example.com/c,https://example.com/d,300\n"
        "example.com/e,https://example.com/f\n");
  CHECK(has_code(p.rs, "RL001", 1));
  CHECK(has_code(p.rs, "RL001", 2));
  CHECK(has_code(p.rs, "RL004", 3));
  REQUIRE(p.rs.rules.size() == 1);
  CHECK(p.rs.rules[0].where.line == 4);
}

TEST_CASE("a site's _redirects and netlify.toml are one rule set: a chain across them names both files") {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/rl-unit-site-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  fs::path dir = tmpl;
  std::ofstream(dir / "_redirects") << "# first hop\n/old /blog 301\n";
  std::ofstream(dir / "netlify.toml") << "[build]\n  publish = \"public\"\n\n[[redirects]]\n  from = \"/blog\"\n  to = \"/posts\"\n";
  SourceFiles files;
  cli::Loaded in = cli::load_inputs({dir.string()}, ParseOptions{}, files);
  cli::DisposeAtExit keep{in};
  REQUIRE(in.sets.size() == 1);
  CHECK(in.files_counted() == 2);  // the summary's "in 2 files"
  const RuleSet& rs = in.sets[0];
  REQUIRE(rs.rules.size() == 2);
  CHECK(rs.format == Format::netlify);
  CHECK(files.path(rs.rules[0].where.file) == (dir / "_redirects").string());
  CHECK(files.path(rs.rules[1].where.file) == (dir / "netlify.toml").string());
  CHECK(rs.rules[1].where.line == 4);
  // _redirects first, then netlify.toml.
  CHECK(answer(rs, "/old") == "301 /blog");
  CHECK(answer(rs, "/blog") == "301 /posts");
  bool chain = false;
  for (const Diagnostic& d : run_checks(rs, files, CheckOptions{}, Selection{})) {
    if (d.code != "RL201") continue;
    chain = true;
    CHECK(files.path(d.range.file) == (dir / "_redirects").string());
    CHECK(d.range.line == 2);
    REQUIRE(d.related.size() == 2);
    CHECK(files.path(d.related[1].range.file) == (dir / "netlify.toml").string());
    CHECK(d.related[1].range.line == 4);
  }
  CHECK(chain);
  fs::remove_all(dir);
}
