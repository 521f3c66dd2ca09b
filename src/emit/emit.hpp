#pragma once
/// Emitters (DESIGN §6): a RuleSet in, the text of another format out, plus a loss diagnostic for
/// every rule that was not converted exactly. Nothing is dropped silently:
/// - converted exactly: no diagnostic;
/// - approximated: RL302 on the SOURCE rule's range, the message says what differs;
/// - not converted: RL301 on the source rule's range; the rule's original text is kept in the
///   output as a comment at its place.
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/model.hpp"
#include "model/source.hpp"

namespace rl {

struct EmitOptions {
  std::string source_name;        ///< named in the header comment ("" = no header)
  std::string version;            ///< redirlint version for the header comment
  std::string htaccess_dir = "/"; ///< URL path of the target .htaccess directory ('/'-terminated)
  std::size_t map_threshold = 8;  ///< nginx: a run of at least this many literal redirects becomes a `map`
  int listen_port = 80;           ///< nginx `listen` / Apache `<VirtualHost *:PORT>` of generated servers
};

/// How much an RL302 difference matters: `material` = another status or another resource;
/// `encoding` = the Locations differ only in how they %-encode the same path (Apache writes '|' as
/// %7c, nginx as received): a note, reported with --pedantic only.
enum class Weight { material, encoding };

/// How one source rule came out.
enum class Fidelity { exact, approximated, not_converted };

struct Emitted {
  std::string text;
  std::vector<Diagnostic> losses;  ///< RL301 / RL302, on the source rules' ranges
  std::vector<Fidelity> per_rule;  ///< one per RuleSet::rules entry, same order
};

/// The loss report people read (issue 18): one diagnostic per kind of loss (same code and message),
/// at its first rule, the message saying how many rules and which lines; the `encoding` notes
/// (severity info) are left out. `pedantic` keeps every rule's diagnostic, notes included.
/// `losses` must be sorted (sort_diagnostics).
std::vector<Diagnostic> loss_report(const std::vector<Diagnostic>& losses, bool pedantic);

/// Converts `rs` to `to`. Never throws; a rule it cannot express is RL301 and a comment.
Emitted emit(const RuleSet& rs, Format to, const EmitOptions& opts, const SourceFiles& files);

Emitted emit_nginx(const RuleSet& rs, const EmitOptions& opts, const SourceFiles& files);
/// Apache server context (`htaccess` false) or a .htaccess in opts.htaccess_dir (`htaccess` true).
Emitted emit_apache(const RuleSet& rs, const EmitOptions& opts, const SourceFiles& files, bool htaccess);
Emitted emit_yaml(const RuleSet& rs, const EmitOptions& opts, const SourceFiles& files);
Emitted emit_netlify(const RuleSet& rs, const EmitOptions& opts, const SourceFiles& files);
/// The `_redirects` rules as netlify.toml `[[redirects]]` tables (same semantics, same losses).
Emitted emit_netlify_toml(const RuleSet& rs, const EmitOptions& opts, const SourceFiles& files);

}  // namespace rl
