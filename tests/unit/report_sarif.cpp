#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "checks/registry.hpp"
#include "report/report.hpp"

using namespace rl;
using nlohmann::json;

namespace {

json sample_sarif() {
  SourceFiles files;
  FileId f = files.add("./conf/my site.htaccess", "Redirect 301 /caf\xc3\xa9 /b\nRedirect 301 /b /c\n");
  Diagnostic d;
  d.code = "RL201";
  d.severity = Severity::warning;
  d.message = "chain";
  d.range = SourceRange{f, 1, 14, 1, 20};
  d.related.push_back({SourceRange{f, 2, 1, 2, 19}, "second hop: /b -> /c"});
  d.example = Example{"GET http://example.com/caf\xc3\xa9", {{"/caf\xc3\xa9", 301, "/b"}, {"/b", 301, "/c"}}};
  d.fix = Fix{"point it at /c", true, {Edit{SourceRange{f, 1, 21, 1, 23}, "/c"}}};
  Diagnostic info;
  info.code = "RL104";
  info.severity = Severity::info;
  info.message = "no review date";
  info.range = SourceRange{f, 0, 0, 0, 0};
  return json::parse(render_sarif({d, info}, files));
}

}  // namespace

TEST_CASE("SARIF output has the 2.1.0 envelope and a driver listing every registered rule") {
  json s = sample_sarif();
  CHECK(s["version"] == "2.1.0");
  CHECK(s["$schema"].get<std::string>().find("sarif-2.1.0") != std::string::npos);
  REQUIRE(s["runs"].size() == 1);
  const json& driver = s["runs"][0]["tool"]["driver"];
  CHECK(driver["name"] == "redirlint");
  CHECK(driver["informationUri"].is_string());
  REQUIRE(driver["rules"].size() == all_checks().size());
  const json& r = driver["rules"][0];
  CHECK(r["id"] == std::string(all_checks()[0].code));
  CHECK(r["name"] == std::string(all_checks()[0].slug));
  CHECK(r["shortDescription"]["text"].is_string());
  CHECK(r["helpUri"] == doc_url(all_checks()[0].code));
}

TEST_CASE("a SARIF result names its rule, level, message, region in code points and related hops") {
  json s = sample_sarif();
  json res = s["runs"][0]["results"][0];
  CHECK(res["ruleId"] == "RL201");
  const json& rules = s["runs"][0]["tool"]["driver"]["rules"];
  CHECK(rules[res["ruleIndex"].get<int>()]["id"] == "RL201");
  CHECK(res["level"] == "warning");
  CHECK(res["message"]["text"] == "chain");
  CHECK(res["properties"]["example"]["request"] == "GET http://example.com/caf\xc3\xa9");
  CHECK(res["properties"]["example"]["hops"][1]["location"] == "/c");
  const json& loc = res["locations"][0]["physicalLocation"];
  CHECK(loc["artifactLocation"]["uri"] == "conf/my%20site.htaccess");
  CHECK(loc["region"] == json{{"startLine", 1}, {"startColumn", 14}, {"endLine", 1}, {"endColumn", 19}});
  REQUIRE(res["relatedLocations"].size() == 1);
  CHECK(res["relatedLocations"][0]["message"]["text"] == "second hop: /b -> /c");
  CHECK(res["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 2);
  CHECK(res["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "/c");
}

TEST_CASE("info becomes SARIF level note and a whole-file diagnostic points at the file's first line") {
  json res = sample_sarif()["runs"][0]["results"][1];
  CHECK(res["level"] == "note");
  CHECK(res["locations"][0]["physicalLocation"]["region"] == json{{"startLine", 1}});
}

TEST_CASE("SARIF rules carry their doc page as help and a security-severity on security rules") {
  json rules = sample_sarif()["runs"][0]["tool"]["driver"]["rules"];
  bool saw_security = false;
  for (const json& r : rules) {
    CHECK(r["help"]["markdown"].get<std::string>().starts_with("# " + r["id"].get<std::string>()));
    CHECK(!r["fullDescription"]["text"].get<std::string>().empty());
    if (r["name"] == "open-redirect") {
      saw_security = true;
      CHECK(r["properties"]["security-severity"] == "6.1");
      CHECK(r["properties"]["tags"] == json::array({"redirects", "security"}));
    }
    if (r["name"] == "redirect-chain") CHECK_FALSE(r["properties"].contains("security-severity"));
  }
  CHECK(saw_security);
}

TEST_CASE("relative SARIF URIs are relative to %SRCROOT%, standard input has no URI") {
  SourceFiles files;
  FileId rel = files.add("site/.htaccess", "Redirect 301 /a /b\n");
  FileId in = files.add("<stdin>", "Redirect 301 /a /b\n");
  std::vector<Diagnostic> diags{make_diagnostic("RL201", files.range(rel, 0, 5), "m"),
                                make_diagnostic("RL201", files.range(in, 0, 5), "m")};
  json run = json::parse(render_sarif(diags, files))["runs"][0];
  json a = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  CHECK(a["uri"] == "site/.htaccess");
  CHECK(a["uriBaseId"] == "%SRCROOT%");
  CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"].get<std::string>().starts_with("file:///"));
  json b = run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"];
  CHECK_FALSE(b.contains("uri"));
  CHECK(b["description"]["text"] == "standard input");
}

TEST_CASE("absolute paths become file URIs in SARIF") {
  SourceFiles files;
  FileId f = files.add("/srv/site/.htaccess", "x\n");
  Diagnostic d;
  d.code = "RL101";
  d.message = "m";
  d.range = SourceRange{f, 1, 1, 1, 2};
  json s = json::parse(render_sarif({d}, files));
  CHECK(s["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "file:///srv/site/.htaccess");
}
