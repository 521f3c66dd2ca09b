// libFuzzer target: parse -> emit -> parse. Input: one byte choosing the source format (mod 5, in the
// order of rl::Format), then the source text.
// Properties, for every other format: emitting never crashes; it accounts for every rule (one Fidelity
// per rule); emitting twice gives the same bytes; and our own output parses without RL001 (a converted
// config that the next `redirlint check` cannot read is a bug of the emitter or of the parser).
#include <cstddef>
#include <cstdint>
#include <string>

#include "emit/emit.hpp"
#include "fuzz_common.hpp"

namespace {

constexpr rl::Format kFormats[] = {rl::Format::apache, rl::Format::htaccess, rl::Format::nginx, rl::Format::yaml,
                                   rl::Format::netlify};

std::string first_rl001(const rl::RuleSet& rs) {
  for (const rl::Diagnostic& d : rs.parse_diags)
    if (d.code == "RL001") return std::to_string(d.range.line) + ":" + std::to_string(d.range.column) + ": " + d.message;
  return {};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 16384) return 0;
  rl::Format from = kFormats[data[0] % 5];
  rl::SourceFiles files;
  rl::RuleSet rs = rl_fuzz::parse_as(files, from, std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  if (rl_fuzz::has_code(rs.parse_diags, "RL001")) return 0;  // convert refuses such input
  rl::EmitOptions eo;
  eo.source_name = rl_fuzz::file_name(from);
  eo.version = "fuzz";
  for (rl::Format to : kFormats) {
    if (to == from) continue;
    rl::Emitted once = rl::emit(rs, to, eo, files);
    rl::Emitted twice = rl::emit(rs, to, eo, files);
    std::string what = std::string(rl::to_string(from)) + " -> " + std::string(rl::to_string(to));
    if (once.text != twice.text) rl_fuzz::fail("emitting twice gave different bytes: " + what, once.text);
    if (once.per_rule.size() != rs.rules.size()) rl_fuzz::fail("a rule without a fidelity: " + what, once.text);
    rl_fuzz::check_positions(once.losses, files);
    rl::SourceFiles out_files;
    rl::RuleSet back = rl_fuzz::parse_as(out_files, to, once.text);
    std::string bad = first_rl001(back);
    if (!bad.empty()) rl_fuzz::fail("our own output does not parse: " + what + ": " + bad, once.text);
  }
  return 0;
}
