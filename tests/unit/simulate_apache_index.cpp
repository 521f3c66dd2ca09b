// The Apache simulator's candidate index (issue 8) changes nothing but speed: a config whose lists
// are long enough to be indexed answers every request exactly as the same rules tried one by one.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "parse/parse.hpp"
#include "simulate/simulate.hpp"

using namespace rl;

namespace {

// Rules that exercise what an index could get wrong: rewrites that change the path and go on,
// [C] chains whose first rule fails, [S=n], [N] restarts, negated, case-insensitive and
// un-anchored patterns, conditions, Redirect prefixes and RedirectMatch.
const char* kRules =
    "RewriteEngine On\n"
    "RewriteRule ^/step1/(.*)$ /step2/$1\n"
    "RewriteRule ^/step2/(.*)$ /done/$1 [R=301,L]\n"
    "RewriteRule ^/chain/a$ /chain/b [C]\n"
    "RewriteRule ^/chain/(.*)$ /chained/$1 [R=302,L]\n"
    "RewriteRule ^/skip/(.*)$ - [S=1]\n"
    "RewriteRule ^/skip/(.*)$ /not-skipped/$1 [R=302,L]\n"
    "RewriteRule ^/skip/(.*)$ /after-skip/$1 [R=303,L]\n"
    "RewriteRule ^/restart/x(.*)$ /restart/$1 [N]\n"
    "RewriteRule ^/restart/$ /restarted [R=301,L]\n"
    "RewriteRule ^/NC/(.*)$ /nocase/$1 [NC,R=301,L]\n"
    "RewriteRule /any/(.*)$ /anywhere/$1 [R=301,L]\n"
    "RewriteCond %{QUERY_STRING} go=1\n"
    "RewriteRule ^/cond/ /conditional [R=307,L]\n"
    "RewriteRule ^/keep/ - [L]\n"
    "RewriteRule !^/(keep|step|chain|skip|restart|nc|NC|deep|cond|alias|rm|double|x|fill) /neg [R=302,L]\n"
    "Redirect 301 /alias/dir http://new.example/d\n"
    "RedirectMatch 302 ^/rm/(\\d+)$ /matched/$1\n"
    "Redirect 308 /double/x /double-target\n"
    "Redirect 301 /x http://new.example/x\n";

std::string filler(int n, const std::string& tag) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += "RewriteRule ^/fill" + tag + std::to_string(i) + "/(\\d+)$ /t/$1 [R=301,L]\n";
    out += "Redirect 301 /fillr" + tag + std::to_string(i) + " /t\n";
    out += "RedirectMatch 301 ^/fillm" + tag + std::to_string(i) + "$ /t\n";
  }
  return out;
}

struct Run {
  SourceFiles files;
  RuleSet rs;
  explicit Run(const std::string& text) {
    FileId id = files.add("t.conf", text);
    ParseOptions po;
    po.format = Format::apache;
    rs = parse_apache(files, id, Format::apache, po);
  }
  Outcome run(const std::string& target) const {
    Request r;
    std::string error;
    REQUIRE(parse_request(target, r, error));
    return simulate(rs, r);
  }
};

std::string summary(const Outcome& o) {
  std::string s = std::to_string(static_cast<int>(o.kind)) + " " + std::to_string(o.status) + " " + o.location + " " +
                  o.final_path + " |";
  for (const FiredRule& f : o.fired) s += " " + f.url_after;
  return s;
}

const std::vector<std::string> kRequests = {
    "/step1/a?q=1", "/step2/b", "/chain/a", "/chain/z", "/skip/s", "/restart/xxx", "/restart/",
    "/other/path", "/nc/Y", "/NC/y", "/deep/any/z", "/cond/?go=1", "/cond/?go=2", "/keep/x",
    "/alias/dir/sub?q=2", "/alias/dirt", "/rm/12", "/rm/x", "/double/x/y", "//double//x/y", "/x",
    "/xy", "/", "/fillA3/7", "/fillrA3/sub", "/fillmA3", "/fillB5/1", "/fill"};

}  // namespace

TEST_CASE("requests get the same answers from indexed and unindexed rule lists") {
  Run plain(kRules);
  REQUIRE(plain.rs.rules.size() < 64);  // below the index threshold: every rule is tried
  Run after(std::string(kRules) + filler(40, "A"));
  Run before("RewriteEngine On\n" + filler(40, "B") + kRules);
  REQUIRE(after.rs.rules.size() > 64);
  for (const std::string& req : kRequests) {
    CAPTURE(req);
    Outcome p = plain.run(req);
    Outcome a = after.run(req);
    Outcome b = before.run(req);
    if (req.rfind("/fill", 0) == 0 && req != "/fill") continue;  // filler paths: the next test
    CHECK(summary(a) == summary(p));
    CHECK(summary(b) == summary(p));
    REQUIRE(a.fired.size() == p.fired.size());
    for (std::size_t i = 0; i < p.fired.size(); ++i) CHECK(a.fired[i].where.line == p.fired[i].where.line);
  }
}

TEST_CASE("the padded config still finds the rules it was padded with, in file order") {
  Run after(std::string(kRules) + filler(40, "A"));
  Outcome o = after.run("/fillA39/5");
  CHECK(o.kind == OutcomeKind::redirect);
  CHECK(o.location == "http://example.com/t/5");
  CHECK(after.run("/fillrA7/deeper").location == "http://example.com/t/deeper");
  CHECK(after.run("/fillmA8").status == 301);
  CHECK(after.run("/fillmA8x").kind == OutcomeKind::none);
  Run before("RewriteEngine On\n" + filler(40, "B") + kRules);
  CHECK(before.run("/fillB0/1").location == "http://example.com/t/1");
  CHECK(before.run("/fillA0/1").kind == OutcomeKind::none);
  CHECK(before.run("/fillrB39").location == "http://example.com/t");
}
