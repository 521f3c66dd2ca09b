// libFuzzer target: one parser on arbitrary bytes. Built once per format with -DRL_FUZZ_FORMAT=...
// Property: parsing never crashes, hangs or throws, and every diagnostic has a position inside the file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "checks/run.hpp"
#include "parse/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rl::SourceFiles files;
  rl::FileId id = files.add(RL_FUZZ_NAME, std::string(reinterpret_cast<const char*>(data), size));
  rl::ParseOptions opts;
  rl::Format f;
  rl::parse_format(RL_FUZZ_FORMAT, f);
  opts.format = f;
  opts.max_depth = 64;
  rl::RuleSet rs = rl::parse_file(files, id, opts);
  for (const rl::Diagnostic& d : rs.parse_diags) {
    if (d.range.file >= files.size()) std::abort();
    const auto& lines = files.get(d.range.file).line_starts;
    if (d.range.line > lines.size() + 1) std::abort();
  }
  // The checks must survive whatever the parser produced.
  rl::CheckOptions copts;
  copts.today = "2026-01-01";
  copts.max_hops = 5;
  (void)rl::run_checks(rs, files, copts, rl::Selection{});
  return 0;
}
