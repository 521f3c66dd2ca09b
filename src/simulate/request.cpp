// Requests: parsing the command-line forms, printing them, and following a Location.
#include <cctype>

#include "simulate/simulate.hpp"
#include "simulate/url.hpp"

namespace rl {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool valid_method(std::string_view m) {
  if (m.empty() || m.size() > 32) return false;
  for (char c : m)
    if (!std::isupper(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

bool valid_target(std::string_view t) {
  for (char c : t)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return true;
}

// Drops a fragment: clients never send it.
std::string_view without_fragment(std::string_view s) {
  std::size_t hash = s.find('#');
  return hash == std::string_view::npos ? s : s.substr(0, hash);
}

// Fills scheme/host/port/target of `out` from an absolute http(s) URL.
bool set_from_absolute(std::string_view url_text, Request& out, bool keep_port, std::string& error) {
  url::UrlParts parts;
  if (!url::split_absolute(url_text, parts)) {
    error = "not a URL: '" + std::string(url_text) + "'";
    return false;
  }
  std::string scheme = url::lower(parts.scheme);
  if (scheme != "http" && scheme != "https") {
    error = "only http and https URLs can be requested: '" + std::string(url_text) + "'";
    return false;
  }
  if (parts.authority.empty() || parts.authority.find('@') != std::string::npos) {
    error = "no host in URL '" + std::string(url_text) + "'";
    return false;
  }
  out.scheme = scheme;
  out.host = parts.authority;
  url::HostPort hp = url::split_host(parts.authority);
  if (!keep_port) out.port = hp.port ? *hp.port : 0;
  std::string_view rest = without_fragment(parts.rest);
  out.target = rest.empty() ? "/" : std::string(rest);
  if (out.target[0] == '?') out.target = "/" + out.target;
  return true;
}

}  // namespace

bool parse_request(std::string_view text, Request& out, std::string& error, const Request& base) {
  out = base;
  text = trim(text);
  std::size_t space = text.find_first_of(" \t");
  if (space != std::string_view::npos) {
    std::string_view method = text.substr(0, space);
    if (!valid_method(method)) {
      error = "not a request method: '" + std::string(method) + "'";
      return false;
    }
    out.method = std::string(method);
    text = trim(text.substr(space));
  }
  if (text.empty()) {
    error = "empty request";
    return false;
  }
  if (!valid_target(text)) {
    error = "a request URL cannot contain spaces or control characters: '" + std::string(text) + "'";
    return false;
  }
  if (text[0] == '/') {
    out.target = std::string(without_fragment(text));
    return true;
  }
  if (url::is_absolute(text)) return set_from_absolute(text, out, base.port != 0, error);
  error = "a request is '/path?query', 'http://host/path' or 'METHOD URL': '" + std::string(text) + "'";
  return false;
}

std::string request_url(const Request& r) {
  std::string host = r.host;
  if (!url::split_host(host).port && r.port != 0 && r.port != url::default_port(r.scheme))
    host += ":" + std::to_string(r.port);
  return r.scheme + "://" + host + r.target;
}

std::string describe(const Request& r) { return r.method + " " + request_url(r); }

bool follow(const Request& prev, std::string_view location, Request& next) {
  next = prev;
  next.method = (prev.method == "HEAD") ? "HEAD" : "GET";
  location = trim(location);
  if (location.empty()) return false;
  std::string error;
  if (url::is_absolute(location)) return set_from_absolute(location, next, false, error);
  if (location.substr(0, 2) == "//") return set_from_absolute(prev.scheme + ":" + std::string(location), next, false, error);
  if (location.find(':') != std::string_view::npos &&
      location.find(':') < location.find_first_of("/?#")) return false;  // mailto:, javascript:, ...
  location = without_fragment(location);
  if (location.empty()) return true;
  if (location[0] == '/') {
    next.target = std::string(location);
    return true;
  }
  std::string base_path = url::split_target(prev.target).path;
  if (location[0] == '?') {
    next.target = base_path + std::string(location);
    return true;
  }
  std::size_t slash = base_path.rfind('/');
  std::string joined = base_path.substr(0, slash + 1) + std::string(location);
  url::SplitTarget t = url::split_target(joined);
  std::string normalised;
  url::normalise_path(t.path, false, normalised);
  next.target = normalised + (t.query ? "?" + *t.query : "");
  return true;
}

}  // namespace rl
