// KeyPositions (the simulators' candidate index) against a plain multimap: every position filed under
// a key comes back for it, in ascending order, and keys never filed get nothing (64-bit hashes: a
// collision in these few hundred thousand keys would be a bug in the hash or the directory).
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "util/key_positions.hpp"

using namespace rl;

TEST_CASE("KeyPositions answers what a multimap answers") {
  for (std::size_t n : {0u, 1u, 2u, 3u, 64u, 1000u, 200000u}) {
    std::mt19937 rng(static_cast<unsigned>(n));
    std::map<std::string, std::vector<std::uint32_t>> want;
    KeyPositions index;
    for (std::uint32_t pos = 0; pos < n; ++pos) {
      // Few distinct keys for small n (many positions a key), short path-like keys for large n.
      std::string key = "/" + std::to_string(rng() % (n / 3 + 1));
      if (rng() % 2) key += "/";
      index.add(key, pos);
      want[key].push_back(pos);
    }
    index.finish();
    CHECK(index.size() == n);
    for (const auto& [key, positions] : want) {
      std::vector<std::uint32_t> got;
      index.collect(key, got);
      CHECK(got == positions);
    }
    for (int i = 0; i < 1000; ++i) {
      std::string key = "/x" + std::to_string(i);
      std::vector<std::uint32_t> got;
      index.collect(key, got);
      CHECK(got.empty());
    }
  }
}

TEST_CASE("collect appends to what is there") {
  KeyPositions index;
  index.add("/a", 3);
  index.add("/b", 1);
  index.add("/a", 7);
  index.finish();
  std::vector<std::uint32_t> out{42};
  index.collect("/a", out);
  CHECK(out == std::vector<std::uint32_t>{42, 3, 7});
  index.collect(std::string_view("/b/", 2), out);
  CHECK(out == std::vector<std::uint32_t>{42, 3, 7, 1});
}
