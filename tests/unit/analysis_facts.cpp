#include <doctest/doctest.h>

#include "analysis/facts.hpp"
#include "analysis/prefix_index.hpp"
#include "checks/run.hpp"

#include <algorithm>
#include <set>

using namespace rl;
using namespace rl::analysis;

namespace {

bool url_is_absolute(const std::string& u) { return u.rfind("http", 0) == 0 && u.find("://") != std::string::npos; }

Rule redirect(RuleId id, MatchKind kind, std::string from, std::string to, int status = 301) {
  Rule r;
  r.id = id;
  r.where = SourceRange{0, id + 1, 1, id + 1, 10};
  r.origin = {Format::netlify, "_redirects"};
  r.match.kind = kind;
  r.match.text = std::move(from);
  r.action = Action::redirect;
  r.status = status;
  r.target = Target{std::move(to), QueryMode::keep, false};
  r.target->absolute = url_is_absolute(r.target->url);
  return r;
}

}  // namespace


TEST_CASE("capture groups are found by number, named groups included, classes and escapes skipped") {
  CHECK(capture_group_text("^/a/(\\d+)/([^/)]+)$", 2) == "[^/)]+");
  CHECK(capture_group_text("^/(?:x|y)/(?<slug>[a-z]+)\\(lit\\)(.*)$", 1) == "[a-z]+");
  CHECK(capture_group_text("^/(?:x|y)/(?<slug>[a-z]+)\\(lit\\)(.*)$", 2) == ".*");
  CHECK_FALSE(capture_group_text("^/(a)$", 2));
  CHECK_FALSE(capture_group_text("^/(?|(a)|(b))$", 1));
}

TEST_CASE("literal texts and prefixes of anchored regexes") {
  CHECK(regex_literal("^www\\.example\\.com$") == "www.example.com");
  CHECK_FALSE(regex_literal("^www\\.(.+)$"));
  CHECK(regex_literal_prefix("^/old/(.*)$") == "/old/");
  CHECK(regex_literal_prefix("^/olds?/") == "/old");
  CHECK(regex_literal_prefix("/old/") == "");
}

TEST_CASE("a target is split into scheme, host parts and the rest") {
  TargetShape s = target_shape(Target{"https://${http_host}/$1", QueryMode::keep, true});
  CHECK(s.absolute);
  CHECK(s.scheme == "https");
  REQUIRE(s.authority.size() == 1);
  CHECK(s.authority[0].text == "http_host");
  TargetShape c = target_shape(Target{"$1", QueryMode::keep, false});
  CHECK(c.starts_with_capture);
  TargetShape rel = target_shape(Target{"/new/$1", QueryMode::keep, false});
  CHECK_FALSE(rel.absolute);
  CHECK(literal_text(target_shape(Target{"http://example.com/x", QueryMode::keep, true}).authority) == "example.com");
}

TEST_CASE("the prefix index finds every rule that can match a path, by hash lookups") {
  RuleSet rs;
  rs.format = Format::netlify;
  rs.rules.push_back(redirect(0, MatchKind::exact, "/a", "/b"));
  rs.rules.push_back(redirect(1, MatchKind::prefix, "/docs", "/manual"));
  rs.rules.push_back(redirect(2, MatchKind::regex, "^/blog/(\\d+)$", "/b/$1"));
  rs.rules.push_back(redirect(3, MatchKind::regex, "\\.php$", "/"));
  PrefixIndex index(rs);
  auto has = [](const std::vector<RuleId>& v, RuleId id) { return std::find(v.begin(), v.end(), id) != v.end(); };
  auto a = index.candidates_for_path("/a");
  CHECK(has(a, 0));
  CHECK(has(a, 3));  // no literal prefix: always a candidate
  CHECK_FALSE(has(a, 1));
  CHECK(has(index.candidates_for_path("/docs/x"), 1));
  CHECK(has(index.candidates_for_path("/blog/12"), 2));
  CHECK_FALSE(has(index.candidates_for_path("/blo"), 2));
}

TEST_CASE("hand-built rules: a self-redirect and an open redirect are reported, a plain move is not") {
  RuleSet rs;
  rs.format = Format::netlify;
  rs.rules.push_back(redirect(0, MatchKind::exact, "/same", "/same"));
  rs.rules.push_back(redirect(1, MatchKind::regex, "^/out/(.*)$", "https://$1"));
  rs.rules.push_back(redirect(2, MatchKind::exact, "/old", "/new"));
  SourceFiles files;
  files.add("_redirects", "");
  auto ds = run_checks(rs, files, CheckOptions{}, Selection{});
  std::vector<std::pair<std::string, std::uint32_t>> got;
  for (const Diagnostic& d : ds) got.push_back({d.code, d.range.line});
  CHECK(std::count(got.begin(), got.end(), std::pair<std::string, std::uint32_t>{"RL106", 1}) == 1);
  CHECK(std::count(got.begin(), got.end(), std::pair<std::string, std::uint32_t>{"RL107", 2}) == 1);
  for (const auto& g : got) CHECK(g.second != 3);
}

TEST_CASE("the prefix index gives each rule its key and the rules whose key covers another's") {
  RuleSet rs;
  rs.format = Format::apache;
  rs.rules.push_back(redirect(0, MatchKind::prefix, "/h15-9cf9", "/t"));
  rs.rules.push_back(redirect(1, MatchKind::regex, "^/h15-9cf9/x(\\d+)$", "/u/$1"));
  rs.rules.push_back(redirect(2, MatchKind::regex, "^/e\\.1$", "/v"));
  rs.rules.push_back(redirect(3, MatchKind::exact, "/h15-9cf9/x1", "/w"));
  PrefixIndex index(rs);
  CHECK(index.key(0) == "/h15-9cf9");
  CHECK_FALSE(index.is_exact(0));
  CHECK(index.key(1) == "/h15-9cf9/x");
  CHECK(index.key(2) == "/e.1");  // unescaped: owned by the index, not a piece of the pattern
  CHECK(index.is_exact(2));
  CHECK(index.candidates_covering(index.key(1), false) == std::vector<RuleId>{0, 1});
  CHECK(index.candidates_covering("/h15-9cf9/x1", true) == std::vector<RuleId>{3, 0, 1});
  CHECK(index.candidates_covering("/h15-9cf9/x1", false) == std::vector<RuleId>{0, 1});
  CHECK(index.has_candidates("/e.1"));
  CHECK_FALSE(index.has_candidates("/e.2"));
}

TEST_CASE("the rules covering a rule are those covering its key") {
  RuleSet rs;
  rs.format = Format::apache;
  rs.rules.push_back(redirect(0, MatchKind::prefix, "/a", "/t"));
  rs.rules.push_back(redirect(1, MatchKind::exact, "/a/b", "/u"));
  rs.rules.push_back(redirect(2, MatchKind::exact, "/a/b", "/v"));
  rs.rules.push_back(redirect(3, MatchKind::regex, "x$", "/w"));  // no key: covered by nothing but itself
  PrefixIndex index(rs);
  for (RuleId id = 0; id < rs.rules.size(); ++id)
    CHECK(index.candidates_covering_rule(id) == index.candidates_covering(index.key(id), index.is_exact(id)));
  CHECK(index.candidates_covering_rule(2) == std::vector<RuleId>{3, 1, 2, 0});
}

TEST_CASE("checks on two threads report exactly what one thread reports, in the same order") {
  RuleSet rs;
  rs.format = Format::netlify;
  RuleId id = 0;
  for (int i = 0; i < 40; ++i) {
    std::string k = std::to_string(i);
    rs.rules.push_back(redirect(id++, MatchKind::exact, "/c" + k + "-a", "/c" + k + "-b"));  // chain a -> b -> c
    rs.rules.push_back(redirect(id++, MatchKind::exact, "/c" + k + "-b", "/c" + k + "-c", 302));
    rs.rules.push_back(redirect(id++, MatchKind::exact, "/l" + k + "-a", "/l" + k + "-b"));  // loop
    rs.rules.push_back(redirect(id++, MatchKind::exact, "/l" + k + "-b", "/l" + k + "-a"));
    rs.rules.push_back(redirect(id++, MatchKind::prefix, "/h" + k, "/x"));  // shadows the next
    rs.rules.push_back(redirect(id++, MatchKind::exact, "/h" + k + "/y", "/z"));
    rs.rules.push_back(redirect(id++, MatchKind::regex, "^/out" + k + "/(.*)$", "https://$1"));
  }
  SourceFiles files;
  files.add("_redirects", "");
  CheckOptions one, two;
  one.jobs = 1;
  two.jobs = 2;
  auto a = run_checks(rs, files, one, Selection{});
  auto b = run_checks(rs, files, two, Selection{});
  REQUIRE(a.size() == b.size());
  std::set<std::string> codes;
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].code == b[i].code);
    CHECK(a[i].range.line == b[i].range.line);
    CHECK(a[i].message == b[i].message);
    codes.insert(a[i].code);
  }
  for (const char* c : {"RL201", "RL202", "RL203", "RL107"}) CHECK_MESSAGE(codes.count(c) == 1, c);
}
