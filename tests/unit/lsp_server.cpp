#include <doctest/doctest.h>

#include <sstream>

#include "lsp/server.hpp"

using namespace rl;
using namespace rl::lsp;
using nlohmann::json;

namespace {

std::string frame(const json& j) {
  std::string body = j.dump();
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::vector<json> messages(const std::string& wire) {
  std::istringstream in(wire);
  std::vector<json> out;
  for (Framed m = read_message(in); m.kind == Framed::Kind::message; m = read_message(in))
    out.push_back(json::parse(m.body));
  return out;
}

// A buffer "Redirect /café /x" with one warning on "/x" (after a two-byte character) whose safe fix
// inserts "302 ", plus an unsafe fix elsewhere that must never be offered.
Analysis fake(const std::string& path, const std::string& text, const ParseOptions&) {
  Analysis a;
  a.file = a.files.add(path, text);
  Diagnostic d;
  d.code = "RL101";
  d.message = "no status";
  d.range = SourceRange{a.file, 1, 16, 1, 18};
  d.related.push_back({SourceRange{a.file, 1, 1, 1, 9}, "the directive"});
  d.fix = Fix{"write 302", true, {Edit{SourceRange{a.file, 1, 10, 1, 10}, "302 "}}};
  Diagnostic unsafe = d;
  unsafe.code = "RL102";
  unsafe.fix->safe = false;
  a.diagnostics = {d, unsafe};
  return a;
}

json init(bool utf8) {
  json caps = json::object();
  if (utf8) caps["general"]["positionEncodings"] = {"utf-8", "utf-16"};
  return {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}, {"params", {{"capabilities", caps}}}};
}

json open_doc() {
  return {{"jsonrpc", "2.0"},
          {"method", "textDocument/didOpen"},
          {"params", {{"textDocument", {{"uri", "file:///w/site.htaccess"}, {"text", "Redirect /caf\xc3\xa9 /x\n"}}}}}};
}

}  // namespace

TEST_CASE("messages are framed by Content-Length; a broken header is refused and reading goes on") {
  std::ostringstream out;
  write_message(out, "{\"a\":1}");
  CHECK(out.str() == "Content-Length: 7\r\n\r\n{\"a\":1}");
  auto next = [](std::istream& in, Framed::Kind kind, std::string_view body_or_error) {
    Framed m = read_message(in);
    INFO(m.body, " / ", m.error);
    CHECK(m.kind == kind);
    CHECK((kind == Framed::Kind::message ? m.body : m.error).find(body_or_error) != std::string::npos);
  };
  using K = Framed::Kind;
  std::istringstream two("Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{}content-length:3\r\n\r\n[1]");
  next(two, K::message, "{}");
  next(two, K::message, "[1]");
  next(two, K::end, "");
  // Each refusal names what was wrong; the message after it is read.
  std::istringstream bad(
      "Content-Length: 12x\r\n\r\n"
      "Content-Length: -5\r\n\r\n"
      "Content-Length:\r\n\r\n"
      "Content-Type: x\r\n\r\n"
      "Content-Length: 2\r\n\r\n{}");
  next(bad, K::refused, "invalid Content-Length \"12x\"");
  next(bad, K::refused, "invalid Content-Length \"-5\"");
  next(bad, K::refused, "invalid Content-Length \"\"");
  next(bad, K::refused, "without Content-Length");
  next(bad, K::message, "{}");
  // Too large: refused and the body skipped unstored (here: to the end of the input).
  std::istringstream huge("Content-Length: 1000000000000\r\n\r\n" + std::string(1000, 'x'));
  next(huge, K::refused, "a message of 1000000000000 bytes, over the limit of 67108864 bytes");
  next(huge, K::end, "");
  std::istringstream digits("Content-Length: 99999999999999999999999999\r\n\r\nContent-Length: 1\r\n\r\n1");
  next(digits, K::refused, "99999999999999999999999999 bytes, over the limit");
  // A header line of 10^6 bytes is refused after kMaxHeaderLineBytes are kept, not stored whole.
  std::istringstream long_line("X-" + std::string(1000000, 'a') + "\r\n\r\nContent-Length: 2\r\n\r\n[]");
  next(long_line, K::refused, "a header line longer than 8192 bytes");
  next(long_line, K::message, "[]");
  std::istringstream short_body("Content-Length: 10\r\n\r\n{}");
  next(short_body, K::truncated, "the input ended 2 bytes into a message of 10 bytes");
  std::istringstream no_body("Content-Length: 10\r\n");
  next(no_body, K::truncated, "inside a message header");
}

TEST_CASE("file URIs convert to paths and back with percent-encoding") {
  CHECK(uri_to_path("file:///srv/my%20site/.htaccess") == "/srv/my site/.htaccess");
  CHECK(uri_to_path("file://localhost/etc/nginx.conf") == "/etc/nginx.conf");
  CHECK(uri_to_path("untitled:Untitled-1") == "untitled:Untitled-1");
  CHECK(uri_to_path("file:///bad%zz%") == "/bad%zz%");
  CHECK(path_to_uri("/srv/my site/caf\xc3\xa9") == "file:///srv/my%20site/caf%C3%A9");
}

TEST_CASE("diagnostics are published with 0-based UTF-16 ranges, code links and related places") {
  std::ostringstream out;
  Server s(out, fake);
  s.handle(init(false));
  s.handle(open_doc());
  auto msgs = messages(out.str());
  REQUIRE(msgs.size() == 2);
  CHECK(msgs[0]["result"]["capabilities"]["positionEncoding"] == "utf-16");
  const json& p = msgs[1]["params"];
  CHECK(p["uri"] == "file:///w/site.htaccess");
  const json& d = p["diagnostics"][0];
  // Byte column 16 is UTF-16 character 14 ("é" is 2 bytes, 1 unit), 0-based.
  CHECK(d["range"] == json{{"start", {{"line", 0}, {"character", 14}}}, {"end", {{"line", 0}, {"character", 16}}}});
  CHECK(d["code"] == "RL101");
  CHECK(d["codeDescription"]["href"].get<std::string>().ends_with("docs/checks/RL101.md"));
  CHECK(d["source"] == "redirlint");
  CHECK(d["severity"] == 2);
  CHECK(d["relatedInformation"][0]["location"]["uri"] == "file:///w/site.htaccess");
  CHECK(d["relatedInformation"][0]["message"] == "the directive");
}

TEST_CASE("a client that offers UTF-8 positions gets byte columns") {
  std::ostringstream out;
  Server s(out, fake);
  s.handle(init(true));
  s.handle(open_doc());
  auto msgs = messages(out.str());
  CHECK(msgs[0]["result"]["capabilities"]["positionEncoding"] == "utf-8");
  CHECK(msgs[1]["params"]["diagnostics"][0]["range"]["start"]["character"] == 15);
}

TEST_CASE("code actions offer only the safe fixes of findings on the requested lines") {
  std::ostringstream out;
  Server s(out, fake);
  s.handle(init(false));
  s.handle(open_doc());
  json req = {{"jsonrpc", "2.0"},
              {"id", 7},
              {"method", "textDocument/codeAction"},
              {"params",
               {{"textDocument", {{"uri", "file:///w/site.htaccess"}}},
                {"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}}},
                {"context", {{"diagnostics", json::array()}}}}}};
  s.handle(req);
  req["id"] = 8;
  req["params"]["range"] = {{"start", {{"line", 3}, {"character", 0}}}, {"end", {{"line", 4}, {"character", 0}}}};
  s.handle(req);
  auto msgs = messages(out.str());
  REQUIRE(msgs.size() == 4);
  // Every finding on the lines also gets "Disable <its code> for this line"; the fixes are the rest.
  auto fixes_of = [](const json& all) {
    json fixes = json::array();
    for (const json& a : all)
      if (!a["title"].get<std::string>().starts_with("Disable ")) fixes.push_back(a);
    return fixes;
  };
  bool disable_offered = false;
  for (const json& a : msgs[2]["result"])
    disable_offered = disable_offered || a["title"].get<std::string>().find(" for this line") != std::string::npos;
  CHECK(disable_offered);
  const json actions = fixes_of(msgs[2]["result"]);
  REQUIRE(actions.size() == 1);
  CHECK(actions[0]["title"] == "write 302");
  CHECK(actions[0]["kind"] == "quickfix");
  CHECK(actions[0]["edit"]["changes"]["file:///w/site.htaccess"][0] ==
        json{{"range", {{"start", {{"line", 0}, {"character", 9}}}, {"end", {{"line", 0}, {"character", 9}}}}},
             {"newText", "302 "}});
  CHECK(fixes_of(msgs[3]["result"]) == json::array());
}

TEST_CASE("requests before initialize, unknown methods and bad params get JSON-RPC errors") {
  std::ostringstream out;
  Server s(out, fake);
  s.handle({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "textDocument/hover"}, {"params", json::object()}});
  s.handle(init(false));
  s.handle({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "no/such"}, {"params", json::object()}});
  s.handle({{"jsonrpc", "2.0"}, {"id", 3}, {"method", "textDocument/hover"}, {"params", {{"textDocument", 5}}}});
  s.handle(json::array({1, 2}));
  s.handle({{"jsonrpc", "2.0"}, {"method", "$/cancelRequest"}, {"params", {{"id", 2}}}});
  auto msgs = messages(out.str());
  REQUIRE(msgs.size() == 5);
  CHECK(msgs[0]["error"]["code"] == -32002);
  CHECK(msgs[2]["error"]["code"] == -32601);
  CHECK(msgs[3]["error"]["code"] == -32602);
  CHECK(msgs[4]["error"]["code"] == -32600);
}

TEST_CASE("exit after shutdown gives 0, exit without it gives 1, and end of input stops the loop") {
  std::ostringstream out;
  std::istringstream in(frame(init(false)) + frame({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "shutdown"}}) +
                        frame({{"jsonrpc", "2.0"}, {"method", "exit"}}));
  std::ostringstream log;
  CHECK(run(in, out, log) == 0);
  CHECK(log.str().empty());
  std::ostringstream out2;
  std::istringstream in2(frame(init(false)) + frame({{"jsonrpc", "2.0"}, {"method", "exit"}}));
  CHECK(run(in2, out2, log) == 1);
  std::ostringstream out3;
  std::istringstream in3(frame(init(false)) + "Content-Length: 5\r\n\r\n{nope" + frame({{"jsonrpc", "2.0"}, {"id", 9}, {"method", "shutdown"}}));
  CHECK(run(in3, out3, log) == 1);
  CHECK(log.str() == "redirlint lsp: the input ended without an exit notification\n");
  auto msgs = messages(out3.str());
  REQUIRE(msgs.size() == 3);
  CHECK(msgs[1]["error"]["code"] == -32700);
  CHECK(msgs[2]["id"] == 9);
  // A refused header is answered (id null, -32600, the reason) and logged; the next request is served.
  std::ostringstream out4, log4;
  std::istringstream in4(frame(init(false)) + "Content-Length: -1\r\n\r\n" +
                         frame({{"jsonrpc", "2.0"}, {"id", 3}, {"method", "shutdown"}}) + "Content-Length: 50\r\n\r\n{}");
  CHECK(run(in4, out4, log4) == 1);
  msgs = messages(out4.str());
  REQUIRE(msgs.size() == 3);
  CHECK(msgs[1]["id"].is_null());
  CHECK(msgs[1]["error"]["code"] == -32600);
  CHECK(msgs[1]["error"]["message"] == "refused invalid Content-Length \"-1\" (expected a byte count)");
  CHECK(msgs[2]["id"] == 3);
  CHECK(log4.str() == "redirlint lsp: refused invalid Content-Length \"-1\" (expected a byte count)\n"
                      "redirlint lsp: the input ended 2 bytes into a message of 50 bytes; stopping\n");
}

TEST_CASE("initializationOptions choose the format and the .htaccess directory") {
  std::ostringstream out;
  ParseOptions seen;
  Server s(out, [&](const std::string& path, const std::string& text, const ParseOptions& opts) {
    seen = opts;
    return fake(path, text, opts);
  });
  json i = init(false);
  i["params"]["initializationOptions"] = {{"format", "htaccess"}, {"htaccessDir", "blog"}};
  s.handle(i);
  s.handle(open_doc());
  CHECK(seen.format == Format::htaccess);
  CHECK(seen.htaccess_dir == "/blog/");
}

TEST_CASE("the real analyzer reads the buffer, not the disk, and survives garbage") {
  Analysis a = analyze_buffer("/nonexistent/dir/.htaccess", "Redirect /a\n\x01\xff<<<\n");
  CHECK(a.files.get(a.file).text == "Redirect /a\n\x01\xff<<<\n");
  CHECK_FALSE(a.diagnostics.empty());
}

TEST_CASE("YAML buffers that are not redirlint rule files get no diagnostics") {
  CHECK(analyze_buffer("/w/docker-compose.yml", "services:\n  web:\n    image: nginx\n").diagnostics.empty());
  CHECK(analyze_buffer("/w/compose.yaml", "version: \"3\"\nservices:\n  web: {}\n").diagnostics.empty());
  Analysis rules = analyze_buffer("/w/redirects.yaml", "version: 1\nredirects:\n  - from: /a\n");
  CHECK_FALSE(rules.diagnostics.empty());  // `to` is missing
}
