#pragma once
/// Duplicate mapping keys in a yaml-cpp document (issue 20). YAML forbids them, yaml-cpp accepts them
/// and `node["key"]` then answers with one of the two in silence; `.redirlint.yaml` and `redirlint test`
/// suites refuse them instead. (YAML rule files are read by libyaml events: src/parse/yaml.cpp.)
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace rl {

struct DuplicateKey {
  std::string key;
  YAML::Mark first, second;  ///< 0-based, as yaml-cpp gives them
};

/// The first repeated scalar key of any mapping in `root` (document order), walking at most 256
/// collections deep (deeper ones are not looked at: yaml-cpp's own nesting limit is lower).
std::optional<DuplicateKey> find_duplicate_key(const YAML::Node& root);

/// "duplicate key \"K\" (first at line L:C)", the one-line message for `d`.
std::string duplicate_key_message(const DuplicateKey& d);

}  // namespace rl
