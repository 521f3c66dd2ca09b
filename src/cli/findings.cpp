#include "cli/findings.hpp"

#include <iostream>

#include "checks/fixes.hpp"
#include "cli/commands.hpp"
#include "checks/registry.hpp"
#include "parse/yaml_util.hpp"
#include "util/atomic_write.hpp"

namespace rl::cli {

std::vector<std::string> split_codes(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& a : args) {
    std::size_t b = 0;
    while (b <= a.size()) {
      std::size_t e = a.find(',', b);
      if (e == std::string::npos) e = a.size();
      if (e > b) out.push_back(a.substr(b, e - b));
      b = e + 1;
    }
  }
  return out;
}

bool known_codes(const std::vector<std::string>& codes) {
  for (const std::string& c : codes)
    if (!find_check(c)) {
      std::vector<std::string_view> known;
      for (const CheckInfo& info : all_checks()) {
        known.push_back(info.code);
        known.push_back(info.slug);
      }
      std::string near = file_rules::did_you_mean(c, known);
      std::cerr << "redirlint: unknown check \"" << c << "\"";
      if (!near.empty()) std::cerr << "; did you mean \"" << near << "\"?";
      std::cerr << " (see redirlint list-checks)\n";
      return false;
    }
  return true;
}

bool handle_fixes(bool unsafe, bool diff, std::vector<Diagnostic>& diags, const SourceFiles& files, bool& changed) {
  FixResult fr = apply_fixes(diags, files, unsafe);
  changed = !fr.texts.empty();
  bool ok = true;
  std::size_t fixed = 0;
  for (bool b : fr.applied) fixed += b;
  for (const auto& [fid, text] : fr.texts) {
    if (diff) {
      std::cout << unified_diff(files.path(fid), files.get(fid).text, text);
      continue;
    }
    std::string error;
    if (!write_atomically(files.path(fid), text, error)) {
      std::cerr << "redirlint: --fix: " << error << "; the file is unchanged\n";
      ok = false;
    }
  }
  if (!diff) {
    std::vector<Diagnostic> left;
    for (std::size_t i = 0; i < diags.size(); ++i)
      if (!fr.applied[i] || !ok) left.push_back(std::move(diags[i]));
    diags = std::move(left);
    if (!ok) fixed = 0;
    std::cerr << "redirlint: fixed " << fixed << " problem" << (fixed == 1 ? "" : "s") << " in "
              << fr.texts.size() << " file" << (fr.texts.size() == 1 ? "" : "s") << "\n";
  }
  return ok;
}

int findings_exit(bool bad_input, bool never_fail, Severity fail, const std::vector<Diagnostic>& diags) {
  if (bad_input) return kExitBadInput;
  if (never_fail) return kExitClean;
  for (const Diagnostic& d : diags)
    if (static_cast<int>(d.severity) <= static_cast<int>(fail)) return kExitFindings;
  return kExitClean;
}

}  // namespace rl::cli
