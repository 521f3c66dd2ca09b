// The Apache simulator's candidate index (issue 8) changes nothing but speed: a config whose lists
// are long enough to be indexed answers every request exactly as the same rules tried one by one.
#include <doctest/doctest.h>

#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "parse/parse.hpp"
#include "simulate/apache_internal.hpp"
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

// Issue 15: guarded rules (RewriteCond), [NC] rules and .htaccess lists are found through the index
// too. Random configs of a few hundred rules over a small alphabet of path stems, so that keys share
// prefixes, patterns overlap, rules rewrite into each other and go on without [L]; random requests
// on those stems. Every answer must equal the linear walk's (Compiled::Index::off), rule by rule.
namespace {

struct Random {
  std::uint64_t s;
  std::size_t below(std::size_t n) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>((s >> 33) % n);
  }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
};

const std::vector<std::string> kStems = {"a", "ab", "abc", "a/b", "A", "Ab", "b", "b/c", "b/cd", "x1", "x12", "x1/y",
                                         "idx.php", "n/x", ""};

std::string random_rule(Random& rnd, bool htaccess) {
  const std::string lead = htaccess ? "" : "/";
  std::string out;
  static const std::vector<std::string> conds = {
      "RewriteCond %{HTTP_HOST} ^www\\.example\\.com$ [NC]\n", "RewriteCond %{HTTP_HOST} !^shop\\.\n",
      "RewriteCond %{QUERY_STRING} (^|&)q=1\n", "RewriteCond %{HTTPS} off\n",
      "RewriteCond %{HTTP_HOST} ^shop\\. [OR]\nRewriteCond %{QUERY_STRING} id=(\\d+)\n",
      "RewriteCond %{REQUEST_URI} ^/a\n"};
  for (std::size_t n = rnd.below(3); n > 0; --n) out += conds[rnd.below(conds.size())];
  const std::string& stem = rnd.pick(kStems);
  std::string pattern;
  switch (rnd.below(7)) {
    case 0: pattern = "^" + lead + stem + "$"; break;
    case 1: pattern = "^" + lead + stem; break;
    case 2: pattern = "^" + lead + stem + "/(\\d+)$"; break;
    case 3: pattern = "^" + lead + stem + "(.*)$"; break;
    case 4: pattern = stem.empty() ? "^" : stem + "$"; break;  // unanchored
    case 5: pattern = "^(.*)$"; break;
    default: pattern = "^" + lead + "?" + stem + "/?$"; break;
  }
  static const std::vector<std::string> targets = {"/t/$1", "/a/b", "/ab/c", "x1/moved", "https://www.example.com/$0",
                                                   "/b/cd?x=1", "-", "/n/xx$1", "/idx.php?p=$1"};
  static const std::vector<std::string> flags = {"[R=301,L]", "[L]", "[NC,R=302,L]", "[C]", "[S=1]", "",
                                                 "[NC]", "[R=301]", "[QSA,L]", "[NC,L]", "[END]", "[F]"};
  std::string target = rnd.pick(targets), flag = rnd.pick(flags);
  // [N] only on a rule that shortens the path, so every restart ends.
  if (rnd.below(20) == 0) pattern = "^" + lead + "n/x(.*)$", target = "/n/$1", flag = "[N]";
  out += "RewriteRule " + pattern + " " + target + (flag.empty() ? "" : " " + flag) + "\n";
  return out;
}

std::string random_alias(Random& rnd) {
  const std::string& stem = rnd.pick(kStems);
  if (rnd.below(2)) return "Redirect 301 /" + stem + " /moved/" + stem + "\n";
  return "RedirectMatch 302 ^/" + stem + (rnd.below(2) ? "(.*)$" : "$") + " /matched$1\n";
}

std::string random_config(Random& rnd, bool htaccess, std::size_t rules) {
  std::string text = htaccess ? "RewriteEngine On\n" : "<VirtualHost *:80>\nServerName www.example.com\nRewriteEngine On\n";
  for (std::size_t i = 0; i < rules; ++i) text += rnd.below(4) == 0 ? random_alias(rnd) : random_rule(rnd, htaccess);
  if (!htaccess) text += "</VirtualHost>\n";
  return text;
}

std::string random_request(Random& rnd, const std::string& dir) {
  static const std::vector<std::string> hosts = {"http://www.example.com", "http://shop.example.com",
                                                 "https://www.example.com", "http://WWW.example.com"};
  static const std::vector<std::string> tails = {"", "/", "/12", "/x", "x", "2", "/b/c", "?q=1", "?id=7&q=1"};
  std::string stem = rnd.pick(kStems);
  if (rnd.below(4) == 0)
    for (char& c : stem) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string path = dir + stem + rnd.pick(tails);
  if (path.empty() || path[0] != '/') path = "/" + path;
  return rnd.pick(hosts) + path;
}

Outcome simulate_linear(const RuleSet& rs, const Request& q) {
  apache_sim::Compiled linear(rs, apache_sim::Compiled::Index::off);
  return apache_sim::simulate_with(rs, linear, q, SimOptions{});
}

}  // namespace

TEST_CASE("guarded, case-insensitive and .htaccess rules found through the index answer as the linear walk does") {
  std::size_t indexed_answers = 0;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    Random rnd{seed};
    const bool htaccess = seed % 2 == 0;
    const std::string dir = seed % 4 == 0 ? "/sub/" : "/";
    SourceFiles files;
    std::string text = random_config(rnd, htaccess, 300);
    FileId id = files.add(htaccess ? "t.htaccess" : "t.conf", text);
    ParseOptions po;
    po.format = htaccess ? Format::htaccess : Format::apache;
    po.htaccess_dir = dir;
    RuleSet rs = parse_apache(files, id, *po.format, po);
    REQUIRE(rs.rules.size() > 200);
    apache_sim::Compiled linear(rs, apache_sim::Compiled::Index::off);
    for (int k = 0; k < 400; ++k) {
      Request q;
      std::string error;
      std::string target = random_request(rnd, dir);
      REQUIRE(parse_request(target, q, error));
      CAPTURE(seed);
      CAPTURE(target);
      Outcome fast = simulate(rs, q);
      Outcome slow = apache_sim::simulate_with(rs, linear, q, SimOptions{});
      CHECK(summary(fast) == summary(slow));
      CHECK(fast.note == slow.note);
      REQUIRE(fast.fired.size() == slow.fired.size());
      for (std::size_t i = 0; i < fast.fired.size(); ++i) CHECK(fast.fired[i].rule == slow.fired[i].rule);
      indexed_answers += !fast.fired.empty();
    }
  }
  CHECK(indexed_answers > 1000);  // the requests reach the rules: not a comparison of empty answers
}

TEST_CASE("a guarded rule under an indexed key answers only when its condition holds") {
  std::string text = "RewriteEngine On\n";
  for (int i = 0; i < 100; ++i) text += "RewriteRule ^fill" + std::to_string(i) + "$ /t [R=301,L]\n";
  text += "RewriteCond %{HTTP_HOST} ^www\\.example\\.com$ [NC]\nRewriteRule ^old/page$ /new/page [R=301,L]\n";
  text += "RewriteRule ^OLD/(.*)$ /upper/$1 [NC,R=302,L]\n";
  SourceFiles files;
  FileId id = files.add("t.htaccess", text);
  ParseOptions po;
  po.format = Format::htaccess;
  RuleSet rs = parse_apache(files, id, Format::htaccess, po);
  auto run = [&](const std::string& url) {
    Request q;
    std::string error;
    REQUIRE(parse_request(url, q, error));
    Outcome fast = simulate(rs, q);
    CHECK(summary(fast) == summary(simulate_linear(rs, q)));
    return fast;
  };
  CHECK(run("http://WWW.example.com/old/page").location == "http://www.example.com/new/page");
  CHECK(run("http://example.com/old/page").location == "http://example.com/upper/page");  // guard fails: the [NC] rule
  CHECK(run("http://example.com/Old/Page").location == "http://example.com/upper/Page");
  CHECK(run("http://example.com/fill7").status == 301);
  CHECK(run("http://example.com/fill7x").kind == OutcomeKind::none);
}
