// libFuzzer target: the simulators (Apache server context, .htaccess, nginx, YAML/_redirects file rules)
// on fuzzed requests against fixed rule sets: samples/ and the differential cases' configs, parsed once.
// Input: one selector byte (rule set index; bit 7: https), then a request line in the syntax of the
// differential cases ("POST http://Host:8080/p?q | Name: value | ..."). When that line does not parse,
// the raw fields are used as sent: method, host and target on the first three lines, then headers.
// Properties: no crash or hang; an outcome is consistent (a redirect is 3xx with a Location, an answer has
// a status, no rule fired means no status); following up to 5 redirects never crashes either.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_common.hpp"
#include "simulate/simulate.hpp"

namespace {

struct Loaded {
  rl::SourceFiles files;
  std::vector<rl::RuleSet> sets;
};

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

/// The `--- config` / `--- htaccess DIR` sections of a differential case file.
void add_case(Loaded& l, const std::filesystem::path& p, rl::Format server) {
  std::istringstream in(read_file(p));
  std::string line, section, text, dir = "/";
  auto flush = [&] {
    if (section == "config" || section == "htaccess") {
      replace_all(text, "@PORT@", "80");
      replace_all(text, "@LISTEN@", "127.0.0.1:80");
      replace_all(text, "@DOCROOT@", "/var/www/html");
      rl::Format f = section == "htaccess" ? rl::Format::htaccess : server;
      rl::FileId id = l.files.add(rl_fuzz::file_name(f), text);
      rl::ParseOptions opts;
      opts.format = f;
      opts.htaccess_dir = dir;
      l.sets.push_back(rl::parse_file(l.files, id, opts));
    }
    text.clear();
  };
  while (std::getline(in, line)) {
    if (line.rfind("--- ", 0) == 0) {
      flush();
      std::istringstream words(line.substr(4));
      words >> section;
      if (!(words >> dir)) dir = "/";
      continue;
    }
    text += line + "\n";
  }
  flush();
}

const Loaded& rule_sets() {
  static const Loaded* loaded = [] {
    auto* l = new Loaded;
    std::filesystem::path root = REDIRLINT_SOURCE_DIR;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(root / "samples", ec)) {
      rl::Format f;
      std::string text = read_file(e.path());
      if (!rl::detect_format(e.path().string(), text, f)) continue;
      rl::FileId id = l->files.add(e.path().string(), text);
      rl::ParseOptions opts;
      opts.format = f;
      l->sets.push_back(rl::parse_file(l->files, id, opts));
    }
    for (auto [dir, f] : {std::pair{"apache", rl::Format::apache}, std::pair{"htaccess", rl::Format::apache},
                          std::pair{"nginx", rl::Format::nginx}})
      for (const auto& e : std::filesystem::directory_iterator(root / "tests/differential/cases" / dir, ec))
        add_case(*l, e.path(), f);
    if (l->sets.empty()) rl_fuzz::fail("no rule sets found under", root.string());
    return l;
  }();
  return *loaded;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (std::size_t at = 0;;) {
    std::size_t next = s.find(sep, at);
    out.push_back(s.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
    if (next == std::string_view::npos) return out;
    at = next + 1;
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

void add_header(rl::Request& r, std::string_view h) {
  std::size_t colon = h.find(':');
  std::string_view name = h.substr(0, colon), value = colon == std::string_view::npos ? "" : h.substr(colon + 1);
  r.headers.emplace_back(std::string(name), std::string(trim(value)));
}

void check_outcome(const rl::Outcome& o, const rl::Request& r) {
  bool ok = true;
  switch (o.kind) {
    case rl::OutcomeKind::none: ok = o.status == 0 && o.location.empty(); break;
    case rl::OutcomeKind::redirect: ok = o.status >= 300 && o.status <= 399 && !o.location.empty(); break;
    // An answer may carry a Location: httpd answers an unknown R=399 with 500 and still sends it.
    case rl::OutcomeKind::answer: ok = o.status != 0; break;
    case rl::OutcomeKind::limit: break;
    case rl::OutcomeKind::unknown: ok = o.status == 0 && o.location.empty(); break;
  }
  if (!ok)
    rl_fuzz::fail("inconsistent outcome", rl::describe(r) + " -> status " + std::to_string(o.status) +
                                              " location \"" + o.location + "\" note \"" + o.note + "\"");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 8192) return 0;
  const Loaded& l = rule_sets();
  const rl::RuleSet& rs = l.sets[(data[0] & 0x7f) % l.sets.size()];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  rl::Request base;
  if (data[0] & 0x80) base.scheme = "https";
  rl::Request req;
  std::string error;
  std::vector<std::string_view> parts = split(text.substr(0, text.find('\n')), '|');
  std::string first(trim(parts[0]));
  if (text.find('\n') == std::string_view::npos && rl::parse_request(first, req, error, base)) {
    for (std::size_t i = 1; i < parts.size(); ++i) add_header(req, trim(parts[i]));
  } else {
    std::vector<std::string_view> lines = split(text, '\n');
    req = base;
    req.method = std::string(lines[0]);
    if (lines.size() > 1) req.host = std::string(lines[1]);
    if (lines.size() > 2) req.target = std::string(lines[2]);
    for (std::size_t i = 3; i < lines.size(); ++i) add_header(req, lines[i]);
  }

  rl::SimOptions opts;
  opts.existing_files = {"/exists.txt", "/index.html"};
  opts.existing_dirs = {"/somedir/", "/"};
  for (int hop = 0; hop < 5; ++hop) {
    rl::Outcome o = rl::simulate(rs, req, opts);
    check_outcome(o, req);
    (void)rl::describe(req);
    (void)rl::request_url(req);
    if (o.kind != rl::OutcomeKind::redirect) break;
    rl::Request next;
    if (!rl::follow(req, o.location, next)) break;
    req = std::move(next);
  }
  return 0;
}
