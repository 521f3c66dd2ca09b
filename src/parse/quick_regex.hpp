#pragma once
/// A PCRE2 pattern validity test without compiling, for the plain patterns that make up most large
/// rule sets (`^/old/(.*)$`, `^/a-b\.html$`): parsers compile a regex only to report RL003 and to
/// count its groups, and compiling a million of them is most of a parse (issue 8).
#include <string_view>

namespace rl {

/// True when `pattern` is certainly accepted by PCRE2 (the options Regex::compile uses) and is built
/// only from literal bytes, `.`, `^`, `$`, `|`, backslash escapes of punctuation or \d \w \s \D \W \S,
/// capturing groups `( )` and single quantifiers `* + ?` after a repeatable item; `groups` is then
/// its number of capturing groups. False means "not known": compile it to find out.
bool quick_valid_regex(std::string_view pattern, int& groups);

}  // namespace rl
