#pragma once
/// Same-format emit (internal to src/emit/): Apache→Apache, .htaccess→.htaccess, nginx→nginx.
#include <string>

#include "emit/common.hpp"

namespace rl::emit_detail {

/// The block structure of `rs` with every rule and unmodelled directive in source order, using
/// their original text; canonical indentation (4 spaces per level). Every rule is exact.
std::string passthrough(const RuleSet& rs, const EmitOptions& opts, Losses& L);

}  // namespace rl::emit_detail
