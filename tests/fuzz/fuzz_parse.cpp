// libFuzzer target: one parser on arbitrary bytes, built once per format (fuzz_parse_<fmt>,
// -DRL_FUZZ_FORMAT=<rl::Format enumerator>). Fast: parsing only.
// Property: parsing never crashes, hangs or throws, and every diagnostic has a one-line message and a
// position inside the file (rl_fuzz::parse_one).
#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rl_fuzz::parse_one(rl::Format::RL_FUZZ_FORMAT, false, data, size);
}
