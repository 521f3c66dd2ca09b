#include "report/report.hpp"

namespace rl {

std::string doc_url(std::string_view code) { return std::string(kDocsUrlBase) + std::string(code) + ".md"; }

RenderOptions text_render_options(std::string_view color_choice, bool stdout_is_tty, bool no_color_env) {
  RenderOptions o;
  o.pretty = color_choice == "always" || (stdout_is_tty && color_choice != "never");
  o.color = color_choice == "always" || (o.pretty && color_choice != "never" && !no_color_env);
  return o;
}

std::string render(std::string_view format, const std::vector<Diagnostic>& diags, const SourceFiles& files,
                   const RenderOptions& opts) {
  if (format == "json") return render_json(diags, files);
  if (format == "sarif") return render_sarif(diags, files);
  if (format == "github") return render_github(diags, files);
  if (format == "checkstyle") return render_checkstyle(diags, files);
  if (format == "gitlab") return render_gitlab(diags, files);
  if (format == "junit") return render_junit(diags, files, opts.files_checked);
  if (format == "text" && opts.pretty) return render_text(diags, files, opts.color, opts.files_checked, opts.summary);
  return render_gcc(diags, files);
}

}  // namespace rl
