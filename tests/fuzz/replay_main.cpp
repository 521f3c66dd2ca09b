// fuzz_replay TARGET FILE|DIR...: runs one fuzz target's entry point on each file, in the normal build
// (no libFuzzer needed). ctest `fuzz.replay` replays tests/fuzz/regressions/<target>/ and
// tests/fuzz/seeds/<target>/ this way: every crash a fuzzer ever found stays a test. A violated property
// aborts, which fails the test.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_common.hpp"

extern "C" int rl_fuzz_entry_automaton(const std::uint8_t*, std::size_t);
extern "C" int rl_fuzz_entry_simulate(const std::uint8_t*, std::size_t);
extern "C" int rl_fuzz_entry_roundtrip(const std::uint8_t*, std::size_t);

namespace {

using Entry = int (*)(const std::uint8_t*, std::size_t);

/// parse_<fmt> / check_<fmt> / automaton / simulate / roundtrip -> the entry point; false if unknown.
bool entry_for(std::string_view target, bool& checks, rl::Format& format, Entry& entry) {
  entry = nullptr;
  if (target == "automaton") entry = rl_fuzz_entry_automaton;
  if (target == "simulate") entry = rl_fuzz_entry_simulate;
  if (target == "roundtrip") entry = rl_fuzz_entry_roundtrip;
  if (entry) return true;
  std::size_t us = target.find('_');
  if (us == std::string_view::npos) return false;
  std::string_view kind = target.substr(0, us);
  checks = kind == "check";
  std::string name(target.substr(us + 1));  // parse_netlify_toml: the format netlify-toml
  for (char& c : name)
    if (c == '_') c = '-';
  return (checks || kind == "parse") && rl::parse_format(name, format);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fuzz_replay TARGET FILE|DIR...\n");
    return 2;
  }
  bool checks = false;
  rl::Format format = rl::Format::apache;
  Entry entry = nullptr;
  if (!entry_for(argv[1], checks, format, entry)) {
    std::fprintf(stderr, "fuzz_replay: unknown target \"%s\"\n", argv[1]);
    return 2;
  }
  std::vector<std::filesystem::path> inputs;
  for (int i = 2; i < argc; ++i) {
    std::error_code ec;
    if (std::filesystem::is_directory(argv[i], ec)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(argv[i], ec))
        if (e.is_regular_file()) inputs.push_back(e.path());
    } else {
      inputs.emplace_back(argv[i]);
    }
  }
  for (const auto& p : inputs) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "fuzz_replay: cannot read \"%s\"\n", p.c_str());
      return 1;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    std::string bytes = ss.str();
    std::fprintf(stderr, "%s: %s\n", argv[1], p.c_str());
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    if (entry)
      entry(data, bytes.size());
    else
      rl_fuzz::parse_one(format, checks, data, bytes.size());
  }
  std::printf("fuzz_replay %s: %zu inputs, no property violated\n", argv[1], inputs.size());
  return 0;
}
