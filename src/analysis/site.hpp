#pragma once
/// `redirlint site` (issue 22, docs/site.md): a built site read offline and checked against the rules.
/// The site's pages are read with libxml2's HTML parser (parse/html_scan.hpp), its sitemaps with libxml2's
/// XML parser (no network, no entities); every same-origin URL they name is resolved through the one
/// redirect walk (analysis/walk.hpp) with the site's files as the files that exist.
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/model.hpp"
#include "simulate/simulate.hpp"

namespace rl::site {

/// What a URL in the site is: it decides the code and the words of a finding.
enum class RefKind { link, canonical, asset, sitemap };

/// One URL written in the site: in a page (an attribute value) or in a sitemap (a <loc>).
struct Ref {
  RefKind kind = RefKind::link;
  SourceRange range;      ///< the value as written (an attribute's raw bytes, a <loc>'s text)
  bool fixable = false;   ///< `range` is exactly the raw attribute value (a fix may rewrite it)
  std::string written;    ///< the URL as written (entities decoded)
  std::string url;        ///< resolved against the page (and its <base href>), without the fragment
  std::string fragment;   ///< "#top" or ""
};

struct Site {
  std::string scheme = "http", host = "example.com";  ///< of --base-url
  int port = 0;
  /// Every file under the root as a %-decoded URL path ("/a/index.html"), sorted; and every directory
  /// ("/", "/a"), sorted. They are the files that exist for the simulator.
  std::vector<std::string> files, dirs;
  std::vector<FileId> pages;  ///< HTML pages read, in path order
  std::vector<std::string> page_paths;  ///< URL path of each of `pages`
  std::vector<Ref> refs;      ///< same-origin URLs, page order then document order; sitemaps last
  std::vector<Diagnostic> read_diags;  ///< RL001: an unreadable page, sitemap or folder
  bool unreadable = false;
};

struct SiteOptions {
  std::string base_url = "http://example.com";  ///< the origin the site is served at
  int jobs = 0;  ///< 0/2+: two threads (the machine's cores, at most two), 1: one
};

/// Parses --base-url ("https://example.com", a path is ignored); false when it is not an http(s) URL.
bool parse_base_url(std::string_view text, Site& out);

/// Reads the built site under `root`: HTML pages (*.html, *.htm), sitemap.xml (and sitemap*.xml at the
/// root), the sitemaps robots.txt names and those sitemap indexes name. Pages go into `files`.
Site read_site(const std::string& root, const SiteOptions& opts, SourceFiles& files);

/// Is decoded URL path `p` served by a file of the site: the file itself, `p` + "index.html" for a
/// directory URL, `p` + ".html" or `p` + "/index.html" (the pretty URLs static hosts serve)?
bool serves(const Site& site, std::string_view p);

/// The findings RL401..RL404 of `site` against the rule sets (each URL through the first set with a rule
/// that answers it). Sorted as sort_diagnostics does.
std::vector<Diagnostic> check_site(const Site& site, const std::vector<RuleSet>& sets, const SourceFiles& files,
                                   const SiteOptions& opts, int max_hops = 20);

/// The simulator's options for the site: its files and folders exist (binary search).
SimOptions sim_options(const Site& site);

}  // namespace rl::site
