#pragma once
/// Example paths of simple regexes without building an automaton (issue 8: libfa compilation was
/// most of `check`'s time on large rule sets).
///
/// The shapes covered are the common ones: an anchored run of fixed items (literals, classes, `\d`,
/// `.`, groups, `{n}`) followed by a tail that may match nothing (`(.*)$`, `(\d+)` = `\d` then `\d*`,
/// `/?`, `(?:/(?<splat>.*))?`). For them the answer is exactly what
/// `Language::from_pcre(p)->path_example()` gives (tests/unit/analysis_quick_example.cpp compares the
/// two): libfa's fa_example keeps, per state, the string of lowest score (letters 2, digits 3, other
/// printable 7) and the shortest member of such a language is the fixed run, each item spelled with
/// its best character among the URL-safe ones. Anything else gives nullopt: callers build the automaton.
#include <optional>
#include <string>
#include <string_view>

#include "analysis/automaton.hpp"

namespace rl::analysis {

/// The path example of a case-sensitive PCRE2 pattern for the simple shapes above; nullopt when the
/// shape is not covered (the automaton decides then) or when `limits` are below the defaults (the
/// automaton could then refuse the pattern, and there must be no example either).
std::optional<std::string> quick_path_example(std::string_view pcre,
                                              const AutomatonLimits& limits = AutomatonLimits::current());
/// The same for a pattern matched case-insensitively (`ignore_case`: Apache [NC], nginx `~*`): every
/// letter stands for both its cases, as in the translator, and the example spells the one libfa picks.
std::optional<std::string> quick_path_example(std::string_view pcre, bool ignore_case,
                                              const AutomatonLimits& limits = AutomatonLimits::current());

/// True when Language::from_pcre(pcre, ignore_case, why, limits) gives a language, without building
/// the automaton when the quick path covers the pattern (it then fits the limits); else it asks
/// from_pcre and fills `why` as that does. For callers that only need the yes/no (RL006 reports).
bool automaton_fits(std::string_view pcre, bool ignore_case, std::string* why = nullptr,
                    const AutomatonLimits& limits = AutomatonLimits::current());

}  // namespace rl::analysis
