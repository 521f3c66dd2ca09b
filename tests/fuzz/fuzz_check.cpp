// libFuzzer target: parse (one format per binary, fuzz_check_<fmt>, -DRL_FUZZ_FORMAT) AND run every
// registered check. Slower than fuzz_parse_<fmt>; finds what the checks do with the strange rule sets a
// parser accepts. Properties: those of fuzz_parse, for the checks' diagnostics too.
#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rl_fuzz::parse_one(rl::Format::RL_FUZZ_FORMAT, true, data, size);
}
