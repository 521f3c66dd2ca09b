#include <doctest/doctest.h>

#include "simulate/template.hpp"
#include "simulate/url.hpp"

using namespace rl;

TEST_CASE("a request-target splits at its first question mark, an empty query is still a query") {
  CHECK(url::split_target("/a?x=1?y").path == "/a");
  CHECK(*url::split_target("/a?x=1?y").query == "x=1?y");
  CHECK(url::split_target("/a?").query == std::optional<std::string>(""));
  CHECK(!url::split_target("/a").query);
}

TEST_CASE("percent-decoding refuses a malformed escape") {
  std::string out;
  CHECK(url::percent_decode("/caf%C3%a9%20x", out));
  CHECK(out == "/caf\xc3\xa9 x");
  CHECK(!url::percent_decode("/a%2", out));
  CHECK(!url::percent_decode("/a%zz", out));
}

TEST_CASE("paths are normalised: dot segments resolved and slashes merged") {
  std::string out;
  CHECK(url::normalise_path("//a//x", true, out));
  CHECK(out == "/a/x");
  CHECK(url::normalise_path("/a/./x/../y", true, out));
  CHECK(out == "/a/y");
  CHECK(url::normalise_path("/a/b/..", true, out));
  CHECK(out == "/a/");
  CHECK(url::normalise_path("/a//b", false, out));
  CHECK(out == "/a//b");
  CHECK(!url::normalise_path("/../x", true, out));
}

TEST_CASE("Apache decodes the path after normalising and answers 404 for an encoded slash") {
  std::string d;
  CHECK(url::apache_decode_path("/%64ocs/a%20b", d) == 0);
  CHECK(d == "/docs/a b");
  CHECK(url::apache_decode_path("/a/%2e%2e/b", d) == 0);
  CHECK(d == "/b");
  CHECK(url::apache_decode_path("/a%2Fb", d) == 404);
  CHECK(url::apache_decode_path("/a%zz", d) == 400);
}

TEST_CASE("Apache re-escapes paths with lower-case hex and keeps its safe characters") {
  CHECK(url::apache_escape_path("/caf\xc3\xa9 x?y#z%") == "/caf%c3%a9%20x%3fy%23z%25");
  CHECK(url::apache_escape_path("/~a+b&c=d;e:f@g$h!i*j'k(l)m,n") == "/~a+b&c=d;e:f@g$h!i*j'k(l)m,n");
}

TEST_CASE("the B flag escapes back-references with plus for space") {
  CHECK(url::apache_escape_backref("x&y z", "", false) == "x%26y+z");
  CHECK(url::apache_escape_backref("a/b", "", false) == "a%2fb");
  CHECK(url::apache_escape_backref("a b&c", "&", false) == "a b%26c");
  CHECK(url::apache_escape_backref("a b", "", true) == "a%20b");
}

TEST_CASE("a Host header gives a lower-case name without trailing dot and its port") {
  auto hp = url::split_host("WWW.Example.COM.:8080");
  CHECK(hp.name == "www.example.com");
  CHECK(hp.port == 8080);
  CHECK(!url::split_host("example.com").port);
  CHECK(url::split_host("[::1]:81").name == "[::1]");
  CHECK(url::split_host("[::1]:81").port == 81);
}

TEST_CASE("absolute URLs leave out the scheme's default port") {
  CHECK(url::absolute_url("http", "a.example", 80, "/x") == "http://a.example/x");
  CHECK(url::absolute_url("https", "a.example", 8443, "/x") == "https://a.example:8443/x");
  url::UrlParts p;
  CHECK(url::split_absolute("https://h.example:81/p?q#f", p));
  CHECK(p.scheme == "https");
  CHECK(p.authority == "h.example:81");
  CHECK(p.rest == "/p?q#f");
  CHECK(!url::is_absolute("/x"));
  CHECK(!url::is_absolute("mailto:x"));
}

TEST_CASE("templates split into literals, captures and variables") {
  auto parts = parse_template("/p/$1/%2?h=${http_host}&cost=$$5%%");
  REQUIRE(parts.size() == 7);
  CHECK(parts[0].text == "/p/");
  CHECK(parts[1].kind == PartKind::rule_capture);
  CHECK(parts[3].kind == PartKind::cond_capture);
  CHECK(parts[4].text == "?h=");
  CHECK(parts[5].kind == PartKind::variable);
  CHECK(parts[6].text == "&cost=$5%");
  auto whole = parse_template("/x$$y%%z$ ${unclosed");
  REQUIRE(whole.size() == 1);
  CHECK(whole[0].text == "/x$y%z$ ${unclosed");
  std::string out = expand_template(parts, [](const TemplatePart& p) {
    return p.kind == PartKind::variable ? "H" : std::to_string(p.index);
  });
  CHECK(out == "/p/1/2?h=H&cost=$5%");
}

#include "simulate/simulate.hpp"

TEST_CASE("requests are written as a path, an absolute URL or a method and a URL") {
  Request r;
  std::string error;
  REQUIRE(parse_request("/p?q=1", r, error));
  CHECK(r.method == "GET");
  CHECK(r.host == "example.com");
  CHECK(r.target == "/p?q=1");
  REQUIRE(parse_request("POST https://WWW.Example.com:8443/x", r, error));
  CHECK(r.method == "POST");
  CHECK(r.scheme == "https");
  CHECK(r.host == "WWW.Example.com:8443");
  CHECK(r.port == 8443);
  CHECK(r.target == "/x");
  CHECK(describe(r) == "POST https://WWW.Example.com:8443/x");
  Request base;
  base.port = 18080;
  REQUIRE(parse_request("http://h.example:8080/y", r, error, base));
  CHECK(r.port == 18080);  // the listening port given by the caller wins
  CHECK(!parse_request("ftp://x/y", r, error));
  CHECK(!parse_request("get /x", r, error));
  CHECK(!parse_request("/a b", r, error));
}

TEST_CASE("following a Location resolves relative references against the previous request") {
  Request prev, next;
  std::string error;
  REQUIRE(parse_request("POST http://a.example/dir/page?x=1", prev, error));
  REQUIRE(follow(prev, "/abs?y=2", next));
  CHECK(request_url(next) == "http://a.example/abs?y=2");
  CHECK(next.method == "GET");
  REQUIRE(follow(prev, "other", next));
  CHECK(next.target == "/dir/other");
  REQUIRE(follow(prev, "../up#frag", next));
  CHECK(next.target == "/up");
  REQUIRE(follow(prev, "https://b.example:444/z", next));
  CHECK(request_url(next) == "https://b.example:444/z");
  CHECK(!follow(prev, "mailto:x@y", next));
}
