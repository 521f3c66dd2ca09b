#include "analysis/site.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include "analysis/walk.hpp"
#include "analysis/witness.hpp"
#include "parse/html_scan.hpp"
#include "report/report.hpp"
#include "simulate/url.hpp"

namespace rl::site {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxPageBytes = std::size_t{16} << 20;  // a page larger than this is not a page

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && url::iequals(s.substr(s.size() - suffix.size()), suffix);
}

bool is_page(std::string_view name) { return ends_with_ci(name, ".html") || ends_with_ci(name, ".htm"); }

/// The URL path of `file` under `root`: "/" + its relative path with '/' separators.
std::string url_path_of(const fs::path& file, const fs::path& root) {
  std::string rel = file.lexically_relative(root).generic_string();
  return rel == "." ? "/" : "/" + rel;
}

int threads_for(int jobs) {
  if (jobs == 1) return 1;
  return std::thread::hardware_concurrency() >= 2 ? 2 : 1;
}

/// Runs f(i) for i in [0, n) on `threads` threads (interleaved, so that big and small items mix).
template <class F>
void parallel_for(std::size_t n, int threads, F f) {
  if (threads <= 1 || n < 64) {
    for (std::size_t i = 0; i < n; ++i) f(i);
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < n; i += static_cast<std::size_t>(threads)) f(i);
    });
  for (std::thread& th : pool) th.join();
}

/// RFC 3986 5.2: `ref` resolved against absolute `base` ("http://h/a/b.html"). The fragment is split off.
/// False for a reference that is not http(s) (mailto:, javascript:, data:, ...) or is empty.
bool resolve(std::string_view base, std::string_view ref, std::string& out, std::string& fragment) {
  while (!ref.empty() && (ref.front() == ' ' || ref.front() == '\t' || ref.front() == '\n' || ref.front() == '\r')) ref.remove_prefix(1);
  while (!ref.empty() && (ref.back() == ' ' || ref.back() == '\t' || ref.back() == '\n' || ref.back() == '\r')) ref.remove_suffix(1);
  fragment.clear();
  if (std::size_t h = ref.find('#'); h != std::string_view::npos) {
    fragment = std::string(ref.substr(h));
    ref = ref.substr(0, h);
  }
  if (ref.empty()) return false;  // "#top": the page itself
  url::UrlParts b;
  if (!url::split_absolute(base, b)) return false;
  std::size_t colon = ref.find(':'), slash = ref.find('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash)) {
    // A scheme: only http(s) URLs are the site's.
    url::UrlParts p;
    if (!url::split_absolute(ref, p)) return false;
    std::string scheme = url::lower(p.scheme);
    if (scheme != "http" && scheme != "https") return false;
    std::string path = p.rest.empty() ? "/" : p.rest;
    out = scheme + "://" + p.authority + path;
    return true;
  }
  std::string rest;
  if (ref.starts_with("//")) {
    out = b.scheme + ":" + std::string(ref);
    url::UrlParts p;
    if (!url::split_absolute(out, p)) return false;
    if (p.rest.empty()) out += "/";
    return true;
  }
  std::string_view bpath = b.rest;
  if (std::size_t q = bpath.find('?'); q != std::string_view::npos) bpath = bpath.substr(0, q);
  if (ref.front() == '/') {
    rest = std::string(ref);
  } else if (ref.front() == '?') {
    rest = std::string(bpath) + std::string(ref);
  } else {
    std::size_t last = bpath.rfind('/');
    rest = std::string(bpath.substr(0, last == std::string_view::npos ? 0 : last + 1)) + std::string(ref);
  }
  std::string path = rest, query;
  if (std::size_t q = rest.find('?'); q != std::string::npos) {
    path = rest.substr(0, q);
    query = rest.substr(q);
  }
  std::string norm;
  if (!url::normalise_path(path.empty() ? "/" : path, false, norm)) norm = "/";
  out = b.scheme + "://" + b.authority + norm + query;
  return true;
}

/// The request for absolute URL `u` when it is on the site's host (any scheme); false otherwise.
bool site_request(const Site& site, std::string_view u, Request& req) {
  url::UrlParts p;
  if (!url::split_absolute(u, p)) return false;
  url::HostPort hp = url::split_host(p.authority);
  if (hp.name != site.host) return false;
  req = Request{};
  req.scheme = url::lower(p.scheme);
  req.host = p.authority;
  req.port = hp.port ? *hp.port : 0;
  req.target = p.rest.empty() ? "/" : p.rest;
  return true;
}

std::string origin_of(const Site& s) { return url::absolute_url(s.scheme, s.host, s.port, ""); }

struct PageScan {
  std::vector<Ref> refs;
};

/// The refs of one page: links, canonical, same-origin assets; resolved against <base href> when present.
PageScan scan_page(const Site& site, const SourceFiles& files, FileId id, const std::string& page_path) {
  PageScan out;
  const std::string& text = files.get(id).text;
  std::vector<html::Element> els = html::scan(text);
  std::string base = origin_of(site) + page_path;
  for (const html::Element& e : els)
    if (e.name == "base")
      if (const html::Attr* h = e.attr("href")) {
        std::string resolved, frag;
        if (resolve(base, h->value, resolved, frag)) base = resolved;
        break;
      }
  for (const html::Element& e : els) {
    const html::Attr* a = nullptr;
    RefKind kind = RefKind::link;
    if (e.name == "a" || e.name == "area") {
      a = e.attr("href");
    } else if (e.name == "link") {
      a = e.attr("href");
      const html::Attr* rel = e.attr("rel");
      std::string r = rel ? url::lower(rel->value) : "";
      bool canonical = (" " + r + " ").find(" canonical ") != std::string::npos;
      kind = canonical ? RefKind::canonical : RefKind::asset;
      if (!canonical && (" " + r + " ").find(" alternate ") != std::string::npos) kind = RefKind::link;
    } else if (e.name == "img" || e.name == "script" || e.name == "iframe" || e.name == "source") {
      a = e.attr("src");
      kind = e.name == "iframe" ? RefKind::link : RefKind::asset;
    }
    if (!a) continue;
    Ref ref;
    ref.kind = kind;
    ref.written = a->value;
    if (!resolve(base, a->value, ref.url, ref.fragment)) continue;
    Request req;
    if (!site_request(site, ref.url, req)) continue;
    if (e.located && a->located()) {
      ref.range = files.range(id, a->value_begin, a->value_end);
      ref.fixable = true;
    } else {
      ref.range = SourceRange{id, e.line, 1, e.line, 1};
    }
    out.refs.push_back(std::move(ref));
  }
  return out;
}

void add_unreadable(Site& site, SourceFiles& files, const std::string& path, const std::string& why) {
  site.unreadable = true;
  FileId fid = files.add(path, "");
  site.read_diags.push_back(make_diagnostic("RL001", SourceRange{fid, 0, 0, 0, 0}, "cannot read " + why));
}

/// A sitemap (or sitemap index) file: its <loc>s become refs; the sitemaps an index names are queued.
void read_sitemap(Site& site, SourceFiles& files, const fs::path& file, std::vector<std::string>& queue) {
  FileId id;
  std::string error;
  if (files.load(file.string(), id, error, kMaxPageBytes) != ReadStatus::ok) {
    add_unreadable(site, files, file.string(), "sitemap: " + error);
    return;
  }
  const std::string& text = files.get(id).text;
  xmlDocPtr doc = xmlReadMemory(text.data(), static_cast<int>(text.size()), file.string().c_str(), nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) {
    site.read_diags.push_back(make_diagnostic("RL001", SourceRange{id, 1, 1, 1, 1}, "sitemap is not well-formed XML; its entries are not checked"));
    site.unreadable = true;
    return;
  }
  xmlNodePtr root = xmlDocGetRootElement(doc);
  bool index = root && root->name && std::string_view(reinterpret_cast<const char*>(root->name)) == "sitemapindex";
  std::size_t searched = 0;  // <loc> text is found in document order
  for (xmlNodePtr entry = root ? root->children : nullptr; entry; entry = entry->next) {
    if (entry->type != XML_ELEMENT_NODE) continue;
    for (xmlNodePtr loc = entry->children; loc; loc = loc->next) {
      if (loc->type != XML_ELEMENT_NODE || std::string_view(reinterpret_cast<const char*>(loc->name)) != "loc") continue;
      xmlChar* content = xmlNodeGetContent(loc);
      std::string value = content ? reinterpret_cast<const char*>(content) : "";
      xmlFree(content);
      std::size_t b = 0, e = value.size();
      while (b < e && std::isspace(static_cast<unsigned char>(value[b]))) ++b;
      while (e > b && std::isspace(static_cast<unsigned char>(value[e - 1]))) --e;
      value = value.substr(b, e - b);
      Ref ref;
      ref.kind = RefKind::sitemap;
      ref.written = value;
      std::size_t at = text.find(value, searched);
      long line = xmlGetLineNo(loc);
      if (!value.empty() && at != std::string::npos) {
        ref.range = files.range(id, at, at + value.size());
        searched = at + value.size();
      } else {
        std::uint32_t l = line > 0 ? static_cast<std::uint32_t>(line) : 1;
        ref.range = SourceRange{id, l, 1, l, 1};
      }
      Request req;
      if (!resolve(origin_of(site) + "/", value, ref.url, ref.fragment) || !site_request(site, ref.url, req)) continue;
      if (index) {
        std::string decoded;
        if (url::percent_decode(url::split_target(req.target).path, decoded)) queue.push_back(decoded);
      } else {
        site.refs.push_back(std::move(ref));
      }
    }
  }
  xmlFreeDoc(doc);
}

}  // namespace

bool parse_base_url(std::string_view text, Site& out) {
  url::UrlParts p;
  if (!url::split_absolute(text, p)) return false;
  std::string scheme = url::lower(p.scheme);
  if ((scheme != "http" && scheme != "https") || p.authority.empty()) return false;
  url::HostPort hp = url::split_host(p.authority);
  out.scheme = scheme;
  out.host = hp.name;
  out.port = hp.port ? *hp.port : 0;
  return true;
}

bool serves(const Site& site, std::string_view p) {
  auto has = [&](const std::string& f) { return std::binary_search(site.files.begin(), site.files.end(), f); };
  std::string s(p);
  if (s.empty()) s = "/";
  if (s.back() == '/') return has(s + "index.html") || has(s + "index.htm");
  return has(s) || has(s + ".html") || has(s + "/index.html");
}

SimOptions sim_options(const Site& site) {
  SimOptions o;
  o.existing_files = site.files;
  o.existing_dirs = site.dirs;
  o.sorted = true;
  return o;
}

Site read_site(const std::string& root_text, const SiteOptions& opts, SourceFiles& files) {
  Site site;
  parse_base_url(opts.base_url, site);
  fs::path root(root_text);
  std::error_code ec;
  std::vector<fs::path> page_files;
  site.dirs.push_back("/");
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) {
    add_unreadable(site, files, root_text, "site folder: " + ec.message());
    return site;
  }
  for (; it != end; it.increment(ec)) {
    if (ec) {
      add_unreadable(site, files, it->path().string(), "folder: " + ec.message());
      break;
    }
    std::error_code e2;
    if (it->is_directory(e2)) {
      site.dirs.push_back(url_path_of(it->path(), root));
      continue;
    }
    if (!it->is_regular_file(e2)) continue;
    site.files.push_back(url_path_of(it->path(), root));
    if (is_page(it->path().filename().string())) page_files.push_back(it->path());
  }
  std::sort(site.files.begin(), site.files.end());
  std::sort(site.dirs.begin(), site.dirs.end());
  std::sort(page_files.begin(), page_files.end());

  for (const fs::path& p : page_files) {
    FileId id;
    std::string error;
    if (files.load(p.string(), id, error, kMaxPageBytes) != ReadStatus::ok) {
      add_unreadable(site, files, p.string(), "page: " + error);
      continue;
    }
    site.pages.push_back(id);
    site.page_paths.push_back(url_path_of(p, root));
  }
  // libxml2 sets up its globals once, here, before two threads parse.
  xmlInitParser();
  std::vector<PageScan> scans(site.pages.size());
  parallel_for(site.pages.size(), threads_for(opts.jobs),
               [&](std::size_t i) { scans[i] = scan_page(site, files, site.pages[i], site.page_paths[i]); });
  for (PageScan& s : scans)
    for (Ref& r : s.refs) site.refs.push_back(std::move(r));

  // Sitemaps: sitemap*.xml at the root, those robots.txt names, those sitemap indexes name (each once).
  std::vector<std::string> queue;
  for (const std::string& f : site.files)
    if (f.find('/', 1) == std::string::npos && f.starts_with("/sitemap") && ends_with_ci(f, ".xml")) queue.push_back(f);
  if (std::binary_search(site.files.begin(), site.files.end(), std::string("/robots.txt"))) {
    FileId id;
    std::string error;
    if (files.load((root / "robots.txt").string(), id, error, kMaxPageBytes) == ReadStatus::ok) {
      std::string_view text = files.get(id).text;
      std::size_t b = 0;
      while (b < text.size()) {
        std::size_t e = text.find('\n', b);
        if (e == std::string_view::npos) e = text.size();
        std::string_view line = text.substr(b, e - b);
        b = e + 1;
        if (line.size() < 8 || !url::iequals(line.substr(0, 8), "sitemap:")) continue;
        std::string u, frag;
        Request req;
        if (resolve(origin_of(site) + "/", line.substr(8), u, frag) && site_request(site, u, req)) {
          std::string decoded;
          if (url::percent_decode(url::split_target(req.target).path, decoded)) queue.push_back(decoded);
        }
      }
    }
  }
  std::set<std::string> read;
  for (std::size_t i = 0; i < queue.size() && read.size() < 1000; ++i) {
    std::string p = queue[i];
    if (!read.insert(p).second || !std::binary_search(site.files.begin(), site.files.end(), p)) continue;
    read_sitemap(site, files, root / p.substr(1), queue);
  }
  return site;
}

namespace {

/// What the rules do with one URL of the site.
struct Resolved {
  std::size_t set = 0;            ///< the rule set that answered (or 0 when none did)
  analysis::RedirectWalk walk;
  bool served = false;            ///< the walk ends with no rule answering, on a path a file serves
  bool on_site = true;            ///< the walk ends on the site's host
  std::string final_url;          ///< where the walk ends (the last request)
};

Resolved resolve_url(const Site& site, const std::vector<RuleSet>& sets, const Request& req,
                     const analysis::WalkOptions& wo) {
  Resolved r;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    analysis::RedirectWalk w = analysis::walk_redirects(sets[i], req, wo);
    bool answered = !w.hops.empty() && w.hops.front().outcome.kind != OutcomeKind::none;
    if (answered || i + 1 == sets.size()) {
      r.walk = std::move(w);
      r.set = i;
      if (answered) break;
    }
  }
  if (sets.empty() || r.walk.hops.empty()) {
    std::string decoded;
    r.served = url::percent_decode(url::split_target(req.target).path, decoded) && serves(site, decoded);
    r.final_url = request_url(req);
    return r;
  }
  const analysis::HopRecord& last = r.walk.hops.back();
  r.final_url = request_url(last.request);
  r.on_site = url::split_host(last.request.host).name == site.host;
  if (r.walk.end == analysis::WalkEnd::answered && last.outcome.kind == OutcomeKind::none) {
    std::string path = last.outcome.final_path;
    if (path.empty() && !url::percent_decode(url::split_target(last.request.target).path, path)) path.clear();
    r.served = !path.empty() && serves(site, path);
  }
  return r;
}

/// The URL to write in a page of the site for `u`: its path?query when it is on the page's origin.
std::string written_form(const Site& site, const std::string& u) {
  std::string origin = origin_of(site);
  if (u.size() > origin.size() && u.compare(0, origin.size(), origin) == 0 && u[origin.size()] == '/') return u.substr(origin.size());
  return u;
}

bool permanent(int status) { return status == 301 || status == 308; }

Example example_of(const analysis::RedirectWalk& w) {
  Example ex;
  if (w.hops.empty()) return ex;
  ex.request = describe(w.hops.front().request);
  for (const analysis::HopRecord& h : w.hops) ex.hops.push_back(Hop{request_url(h.request), h.outcome.status, h.outcome.location});
  return ex;
}

/// One note per redirect hop, at the rule that answered it.
void hop_notes(const RuleSet& rs, const analysis::RedirectWalk& w, Diagnostic& d) {
  std::size_t n = 0;
  for (const analysis::HopRecord& h : w.hops) {
    if (h.outcome.kind != OutcomeKind::redirect || !h.has_rule || h.rule >= rs.rules.size()) continue;
    ++n;
    d.related.push_back({rs.rules[h.rule].where, "hop " + std::to_string(n) + ": " + std::to_string(h.outcome.status) + " " +
                                                     request_url(h.request) + " -> " + h.outcome.location});
  }
}

std::string kind_word(RefKind k) {
  switch (k) {
    case RefKind::link: return "link";
    case RefKind::canonical: return "canonical URL";
    case RefKind::asset: return "asset";
    case RefKind::sitemap: return "sitemap entry";
  }
  return "link";
}

bool literal_target(const Rule& r) {
  if (!r.target) return false;
  for (std::size_t i = 0; i + 1 < r.target->url.size(); ++i) {
    char c = r.target->url[i], n = r.target->url[i + 1];
    if ((c == '$' || c == '%') && (std::isdigit(static_cast<unsigned char>(n)) || n == '{')) return false;
  }
  return r.target->url.find('*') == std::string::npos && r.target->url.find(':') == r.target->url.find("://");
}

}  // namespace

std::vector<Diagnostic> check_site(const Site& site, const std::vector<RuleSet>& sets, const SourceFiles& files,
                                   const SiteOptions& opts, int max_hops) {
  std::vector<Diagnostic> out;
  analysis::WalkOptions wo;
  wo.max_hops = max_hops;
  wo.sim = sim_options(site);
  int threads = threads_for(opts.jobs);

  // Each distinct URL once (a site names its menu's URLs on every page).
  std::unordered_map<std::string, std::size_t> index;
  std::vector<Request> requests;
  std::vector<std::size_t> ref_url(site.refs.size());
  for (std::size_t i = 0; i < site.refs.size(); ++i) {
    auto [it, fresh] = index.emplace(site.refs[i].url, requests.size());
    if (fresh) {
      Request req;
      site_request(site, site.refs[i].url, req);
      requests.push_back(std::move(req));
    }
    ref_url[i] = it->second;
  }
  std::vector<Resolved> resolved(requests.size());
  parallel_for(requests.size(), threads, [&](std::size_t i) { resolved[i] = resolve_url(site, sets, requests[i], wo); });

  // RL401 (links, canonical, assets) and RL402 (sitemap entries).
  for (std::size_t i = 0; i < site.refs.size(); ++i) {
    const Ref& ref = site.refs[i];
    const Resolved& r = resolved[ref_url[i]];
    if (sets.empty()) {
      if (ref.kind == RefKind::sitemap && !r.served)
        out.push_back(make_diagnostic("RL402", ref.range, "sitemap entry \"" + ref.written + "\" is not served: no file of the site and no rule answers it"));
      continue;
    }
    const RuleSet& rs = sets[r.set];
    std::size_t hops = r.walk.redirects();
    bool ends = r.walk.end == analysis::WalkEnd::answered;
    bool undetermined_end = r.walk.end == analysis::WalkEnd::limit ||
                            (!r.walk.hops.empty() && undetermined(r.walk.hops.back().outcome.kind));
    if (undetermined_end) continue;  // the simulator cannot say: no claim
    std::string what = kind_word(ref.kind);
    if (hops > 0) {
      std::string code = ref.kind == RefKind::sitemap ? "RL402" : "RL401";
      std::string msg = what + " \"" + ref.written + "\" redirects";
      if (!ends) {
        msg += r.walk.end == analysis::WalkEnd::loop ? " in a loop" : " without arriving";
        msg += " (" + std::to_string(hops) + " hop" + (hops == 1 ? "" : "s") + ")";
      } else {
        const analysis::HopRecord& first = r.walk.hops.front();
        msg += ": " + std::to_string(first.outcome.status) + " to \"" + r.final_url + "\"";
        if (hops > 1) msg += " after " + std::to_string(hops) + " hops";
        if (!r.on_site) msg += " (another site)";
        else if (!r.served) {
          const Outcome& o = r.walk.hops.back().outcome;
          msg += o.kind == OutcomeKind::answer ? ", which answers " + std::to_string(o.status) : ", which the site does not serve";
        }
        msg += ref.kind == RefKind::sitemap ? "; list the final URL" : "; link to the final URL";
      }
      Diagnostic d = make_diagnostic(code, ref.range, msg);
      hop_notes(rs, r.walk, d);
      d.example = example_of(r.walk);
      if (ends && ref.fixable && ref.kind != RefKind::sitemap && (r.served || !r.on_site)) {
        bool all_permanent = true;
        for (const analysis::HopRecord& h : r.walk.hops)
          if (h.outcome.kind == OutcomeKind::redirect) all_permanent = all_permanent && permanent(h.outcome.status);
        std::string target = written_form(site, r.final_url);
        if (target.find('#') == std::string::npos) target += ref.fragment;
        d.fix = Fix{"link to \"" + target + "\"", all_permanent, {Edit{ref.range, xml_escape(target)}}};
      }
      out.push_back(std::move(d));
    } else if (ref.kind == RefKind::sitemap && ends && !r.served) {
      const Outcome& o = r.walk.hops.empty() ? Outcome{} : r.walk.hops.back().outcome;
      std::string msg = "sitemap entry \"" + ref.written + "\" ";
      msg += o.kind == OutcomeKind::answer ? "answers " + std::to_string(o.status) : "is not served: no file of the site and no rule answers it";
      Diagnostic d = make_diagnostic("RL402", ref.range, msg);
      if (o.kind == OutcomeKind::answer) hop_notes(rs, r.walk, d);
      out.push_back(std::move(d));
    }
  }

  // RL403: a redirect with a literal target whose walk ends on the site, on a path nothing serves.
  for (const RuleSet& rs : sets) {
    std::vector<const Rule*> candidates;
    for (const Rule& rule : rs.rules)
      if (rule.action == Action::redirect && literal_target(rule)) candidates.push_back(&rule);
    std::vector<std::optional<Diagnostic>> found(candidates.size());
    parallel_for(candidates.size(), threads, [&](std::size_t i) {
      const Rule& rule = *candidates[i];
      for (const analysis::Witness& w : analysis::witnesses(rs, rule, 1)) {
        if (url::split_host(w.request.host).name != site.host) continue;
        analysis::RedirectWalk walk = analysis::walk_redirects(rs, w.request, wo);
        if (walk.hops.empty() || !walk.hops.front().has_rule || walk.hops.front().rule != rule.id) continue;
        if (walk.end != analysis::WalkEnd::answered || walk.redirects() == 0) continue;
        const analysis::HopRecord& last = walk.hops.back();
        if (last.outcome.kind != OutcomeKind::none || url::split_host(last.request.host).name != site.host) continue;
        std::string path = last.outcome.final_path;
        if (path.empty() && !url::percent_decode(url::split_target(last.request.target).path, path)) continue;
        if (serves(site, path)) continue;
        Diagnostic d = make_diagnostic("RL403", rule.where,
                                       "redirect to \"" + request_url(last.request) + "\", which the site does not serve: no file and no rule (a 404 after the redirect)");
        hop_notes(rs, walk, d);
        d.example = example_of(walk);
        found[i] = std::move(d);
      }
    });
    for (auto& d : found)
      if (d) out.push_back(std::move(*d));
  }

  // RL404: a page every URL of which is answered by a permanent redirect.
  if (!sets.empty()) {
    std::vector<std::optional<Diagnostic>> found(site.pages.size());
    parallel_for(site.pages.size(), threads, [&](std::size_t i) {
      const std::string& p = site.page_paths[i];
      std::vector<std::string> forms{p};
      std::string_view name = std::string_view(p).substr(p.rfind('/') + 1);
      if (name == "index.html" || name == "index.htm") forms.insert(forms.begin(), p.substr(0, p.size() - name.size()));
      else if (ends_with_ci(p, ".html")) forms.push_back(p.substr(0, p.size() - 5));
      std::optional<Diagnostic> d;
      for (const std::string& form : forms) {
        Request req;
        req.scheme = site.scheme;
        req.host = site.host + (site.port ? ":" + std::to_string(site.port) : "");
        req.port = site.port;
        req.target = url::escape_capture(form);
        Resolved r = resolve_url(site, sets, req, wo);
        if (r.walk.hops.empty()) return;
        const analysis::HopRecord& h = r.walk.hops.front();
        if (h.outcome.kind != OutcomeKind::redirect || !permanent(h.outcome.status) || !h.has_rule) return;
        const RuleSet& rs = sets[r.set];
        if (!d) {
          d = make_diagnostic("RL404", rs.rules[h.rule].where,
                              "permanent redirect of \"" + form + "\" hides the page " + files.path(site.pages[i]) +
                                  ": its content is unreachable (" + std::to_string(h.outcome.status) + " to \"" + h.outcome.location + "\")");
          d->related.push_back({SourceRange{site.pages[i], 1, 1, 1, 1}, "the page served at \"" + form + "\""});
          analysis::RedirectWalk first;
          first.hops.push_back(h);
          d->example = example_of(first);
        }
      }
      found[i] = std::move(d);
    });
    for (auto& d : found)
      if (d) out.push_back(std::move(*d));
  }
  sort_diagnostics(out, files);
  return out;
}

}  // namespace rl::site
