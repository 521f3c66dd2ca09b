#pragma once
/// The model as JSON (`redirlint dump --output json`). Stable key order; fields may be added, never renamed.
#include <nlohmann/json.hpp>

#include "model/model.hpp"

namespace rl {

nlohmann::ordered_json to_json(const SourceRange& r, const SourceFiles& files);
nlohmann::ordered_json to_json(const RuleSet& rs, const SourceFiles& files);

}  // namespace rl
