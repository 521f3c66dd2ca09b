#pragma once
/// THE serialisation of JSON output (issue 20): check --output json/sarif/gitlab, trace and dump JSON,
/// baselines. Pretty-printed with `indent`; bytes that are not UTF-8 become U+FFFD (nlohmann's
/// `replace`: a dump never throws on input bytes); C1 controls (U+0080..U+009F, escape sequences to
/// many terminals) are written as \u0080..\u009f, as JSON already writes C0 ones, so `cat` of any
/// JSON output cannot drive a terminal. The decoded values are unchanged.
#include <nlohmann/json.hpp>

#include <string>

namespace rl {

std::string json_text(const nlohmann::ordered_json& j, int indent = 2);

}  // namespace rl
