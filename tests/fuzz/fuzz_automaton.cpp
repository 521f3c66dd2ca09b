// libFuzzer target: PCRE -> automaton translation (src/analysis/automaton.hpp) on fuzzed pattern text.
// Input: one flag byte (bit 0: ignore case of the first pattern, bit 1: of the second), then pattern A,
// optionally a NUL byte and pattern B.
// Properties: translation never crashes or hangs (its size limits hold); every string the automaton
// offers as an example is matched by PCRE2 itself (the translation is exact, DESIGN §5); L(A)∩L(B),
// L(A)\L(B) and A ⊆ B agree with each other and with PCRE2 on their examples.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/automaton.hpp"
#include "fuzz_common.hpp"
#include "util/regex.hpp"

namespace {

using rl::analysis::Language;

/// What PCRE2 says about `s` against `pattern`: nullopt when it cannot tell (limit, error).
std::optional<bool> pcre_says(const rl::Regex& re, std::string_view s) {
  rl::MatchStatus st = re.match(s);
  if (st == rl::MatchStatus::match) return true;
  if (st == rl::MatchStatus::no_match) return false;
  return std::nullopt;
}

std::string describe(std::string_view pattern, std::string_view example) {
  std::string out = "pattern: ";
  out.append(pattern);
  out += "\nexample: ";
  out.append(example);
  return out;
}

/// The example strings of `l` must be in `l` and be matched by PCRE2 as `expect` says.
void check_example(const Language& l, const rl::Regex& re, std::string_view pattern, bool expect) {
  for (const std::optional<std::string>& ex : {l.example(), l.path_example()}) {
    if (!ex) continue;
    if (!l.accepts(*ex)) rl_fuzz::fail("an automaton's own example is not accepted by it", describe(pattern, *ex));
    std::optional<bool> says = pcre_says(re, *ex);
    if (says && *says != expect)
      rl_fuzz::fail(expect ? "PCRE2 does not match an example of the translated language"
                           : "PCRE2 matches an example that the translated language excludes",
                    describe(pattern, *ex));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 4096) return 0;
  bool icase_a = data[0] & 1, icase_b = data[0] & 2;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::size_t nul = rest.find('\0');
  std::string_view pa = rest.substr(0, nul);
  std::optional<std::string_view> pb;
  if (nul != std::string_view::npos) pb = rest.substr(nul + 1);

  rl::analysis::AutomatonLimits limits;
  limits.max_states = 2000;
  std::string why;
  (void)rl::analysis::pcre_to_fa(pa, icase_a, &why, limits);
  std::optional<Language> la = Language::from_pcre(pa, icase_a, &why, limits);
  std::optional<rl::Regex> ra = rl::Regex::compile(pa, icase_a);
  // A pattern PCRE2 refuses (e.g. a leading `{2,}`) is RL001 in every parser and never reaches the
  // translator, which need not refuse it too: only patterns PCRE2 compiles are compared.
  if (!la || !ra) return 0;
  check_example(*la, *ra, pa, true);
  if (!pb) return 0;

  std::optional<Language> lb = Language::from_pcre(*pb, icase_b, &why, limits);
  std::optional<rl::Regex> rb = rl::Regex::compile(*pb, icase_b);
  if (!lb || !rb) return 0;
  std::string both = std::string(pa) + "\n  and: " + std::string(*pb);
  if (std::optional<Language> inter = la->intersect(*lb)) {
    check_example(*inter, *ra, both, true);
    check_example(*inter, *rb, both, true);
  }
  if (std::optional<Language> diff = la->minus(*lb)) {
    check_example(*diff, *ra, both, true);
    check_example(*diff, *rb, both, false);
    bool sub = la->subset_of(*lb);
    if (sub && !diff->empty()) rl_fuzz::fail("A is a subset of B but A \\ B is not empty", both);
  }
  return 0;
}
