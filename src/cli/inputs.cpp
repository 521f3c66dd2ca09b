#include "cli/inputs.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"

namespace fs = std::filesystem;

namespace rl::cli {

void add_input_options(CLI::App& cmd, InputOptions& in) {
  cmd.add_option("--format", in.format, "input format: apache, htaccess, nginx, yaml, netlify (default: detect)");
  cmd.add_option("--htaccess-dir", in.htaccess_dir, "URL path of the .htaccess file's directory (default /)");
}

bool make_parse_options(const InputOptions& in, ParseOptions& out) {
  if (!in.format.empty()) {
    Format f;
    if (!parse_format(in.format, f)) {
      std::cerr << "redirlint: unknown format \"" << in.format << "\" (apache, htaccess, nginx, yaml, netlify)\n";
      return false;
    }
    out.format = f;
  }
  if (!in.htaccess_dir.empty()) out.htaccess_dir = normalise_dir(in.htaccess_dir);
  return true;
}

namespace {

void walk(const fs::path& dir, std::vector<std::string>& out) {
  std::error_code ec;
  std::vector<std::string> found;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& p = it->path();
    std::string name = p.filename().string();
    if (it->is_directory(ec)) {
      if (name.size() > 1 && name[0] == '.' ) it.disable_recursion_pending();
      if (name == "node_modules" || name == "build") it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec) || !is_recognised_name(p.string()) || name == ".redirlint.yaml") continue;
    // A walk meets YAML of every kind (CI workflows, test suites, other tools' maps): read only our rule
    // files. A YAML file named on the command line is always read (and told apart by the parser).
    Format f;
    if (detect_format(p.string(), "", f) && f == Format::yaml) {
      std::ifstream in(p, std::ios::binary);
      std::string head(64 * 1024, '\0');
      in.read(head.data(), static_cast<std::streamsize>(head.size()));
      head.resize(static_cast<std::size_t>(in.gcount()));
      if (!looks_like_rule_file(head)) continue;
    }
    found.push_back(p.string());
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

}  // namespace

Loaded load_inputs(const std::vector<std::string>& paths, const ParseOptions& opts, SourceFiles& files) {
  std::vector<std::string> expanded;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (p != "-" && fs::is_directory(p, ec)) walk(p, expanded);
    else expanded.push_back(p);
  }
  Loaded out;
  for (const std::string& p : expanded) {
    FileId id;
    std::string err;
    bool ok;
    if (p == "-") {
      std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
      id = files.add("<stdin>", std::move(text));
      ok = true;
    } else {
      ok = files.load(p, id, err);
    }
    if (!ok) {
      out.unreadable = true;
      FileId fid = files.add(p, "");
      out.unreadable_diags.push_back(make_diagnostic("RL001", SourceRange{fid, 0, 0, 0, 0}, "cannot read file: " + err));
      continue;
    }
    out.sets.push_back(parse_file(files, id, opts));
  }
  return out;
}

}  // namespace rl::cli
