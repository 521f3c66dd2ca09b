#include "simulate/url.hpp"
#include "util/hex.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace rl::url {

namespace {

bool is_alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_unreserved(unsigned char c) { return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

void append_hex(std::string& out, unsigned char c) {
  static constexpr char digits[] = "0123456789abcdef";
  out += '%';
  out += digits[c >> 4];
  out += digits[c & 15];
}

}  // namespace

SplitTarget split_target(std::string_view raw) {
  SplitTarget t;
  std::size_t q = raw.find('?');
  if (q == std::string_view::npos) {
    t.path = std::string(raw);
  } else {
    t.path = std::string(raw.substr(0, q));
    t.query = std::string(raw.substr(q + 1));
  }
  return t;
}

bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    int hi = i + 1 < in.size() ? hex_value(in[i + 1]) : -1;
    int lo = i + 2 < in.size() ? hex_value(in[i + 2]) : -1;
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

std::string decode_unreserved(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        auto c = static_cast<unsigned char>(hi * 16 + lo);
        if (is_unreserved(c)) {
          out += static_cast<char>(c);
        } else {
          out += '%';
          out += static_cast<char>(std::toupper(static_cast<unsigned char>(in[i + 1])));
          out += static_cast<char>(std::toupper(static_cast<unsigned char>(in[i + 2])));
        }
        i += 2;
        continue;
      }
    }
    out += in[i];
  }
  return out;
}

bool has_encoded_slash(std::string_view raw_path) {
  for (std::size_t i = 0; i + 2 < raw_path.size(); ++i)
    if (raw_path[i] == '%' && raw_path[i + 1] == '2' && (raw_path[i + 2] == 'F' || raw_path[i + 2] == 'f')) return true;
  return false;
}

bool normalise_path(std::string_view path, bool merge_slashes, std::string& out) {
  out.clear();
  out.reserve(path.size());
  bool ok = true;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] != '/') {
      out += path[i++];
      continue;
    }
    // At a '/': look at the segment that follows it.
    std::size_t seg_end = path.find('/', i + 1);
    if (seg_end == std::string_view::npos) seg_end = path.size();
    std::string_view seg = path.substr(i + 1, seg_end - i - 1);
    bool last = seg_end == path.size();
    if (seg.empty() && merge_slashes && !last) {
      i = seg_end;  // "//": the next '/' starts the same segment again
      continue;
    }
    if (seg == ".") {
      if (last) out += '/';
      i = seg_end;
      continue;
    }
    if (seg == "..") {
      if (out.empty()) {
        ok = false;
      } else {
        std::size_t cut = out.rfind('/');
        out.resize(cut == std::string::npos ? 0 : cut);
      }
      if (last) out += '/';
      i = seg_end;
      continue;
    }
    out += '/';
    out += seg;
    i = seg_end;
  }
  return ok;
}

int apache_decode_path(std::string_view raw_path, std::string& decoded) {
  decoded.clear();
  if (raw_path.empty() || raw_path[0] != '/') return 400;
  std::string normalised;
  if (!normalise_path(decode_unreserved(raw_path), true, normalised)) return 400;
  if (normalised.empty()) normalised = "/";
  if (!percent_decode(normalised, decoded)) return 400;
  // ap_unescape_url(): an encoded '/' or NUL is a "bad path", answered 404.
  if (has_encoded_slash(normalised) || decoded.find('\0') != std::string::npos) return 404;
  return 0;
}

std::string apache_escape_path(std::string_view s) {
  static constexpr const char* keep = "$-_.+!*'(),:;@&=/~";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (is_alnum(c) || (c != 0 && std::strchr(keep, c)))
      out += ch;
    else
      append_hex(out, c);
  }
  return out;
}

std::string escape_capture(std::string_view s) {
  static constexpr std::string_view special = " \"#%<>?\\^`{|}";
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || special.find(ch) != std::string_view::npos) {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

std::string apache_escape_backref(std::string_view s, std::string_view chars, bool no_plus) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool escape_it = chars.empty() || chars.find(ch) != std::string_view::npos;
    if (!escape_it || is_alnum(c) || c == '_')
      out += ch;
    else if (c == ' ' && !no_plus)
      out += '+';
    else
      append_hex(out, c);
  }
  return out;
}

HostPort split_host(std::string_view host) {
  HostPort hp;
  std::string_view name = host;
  if (!host.empty() && host[0] == '[') {
    std::size_t close = host.find(']');
    if (close != std::string_view::npos) {
      name = host.substr(0, close + 1);
      std::string_view rest = host.substr(close + 1);
      if (rest.size() > 1 && rest[0] == ':') {
        int p = 0;
        bool digits = true;
        for (char c : rest.substr(1)) digits = digits && c >= '0' && c <= '9', p = digits ? std::min(p * 10 + (c - '0'), 70000) : p;
        if (digits && p <= 65535) hp.port = p;
      }
    }
  } else {
    std::size_t colon = host.rfind(':');
    if (colon != std::string_view::npos) {
      std::string_view ps = host.substr(colon + 1);
      name = host.substr(0, colon);
      int p = 0;
      bool digits = !ps.empty() && ps.size() <= 5;
      for (char c : ps) digits = digits && c >= '0' && c <= '9', p = digits ? std::min(p * 10 + (c - '0'), 70000) : p;
      if (digits && p <= 65535) hp.port = p;
    }
  }
  hp.name = lower(name);
  while (!hp.name.empty() && hp.name.back() == '.') hp.name.pop_back();
  return hp;
}

int default_port(std::string_view scheme) {
  if (iequals(scheme, "http")) return 80;
  if (iequals(scheme, "https")) return 443;
  return 0;
}

std::string absolute_url(std::string_view scheme, std::string_view host, int port, std::string_view path) {
  std::string out(scheme);
  out += "://";
  out += host;
  if (port != 0 && port != default_port(scheme)) out += ":" + std::to_string(port);
  out += path;
  return out;
}

std::size_t scheme_length(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && (is_alnum(static_cast<unsigned char>(s[i])) || s[i] == '+' || s[i] == '-' || s[i] == '.')) ++i;
  if (i == 0 || !std::isalpha(static_cast<unsigned char>(s[0]))) return 0;
  if (s.substr(i, 3) != "://") return 0;
  return i + 3;
}

bool split_absolute(std::string_view s, UrlParts& out) {
  std::size_t n = scheme_length(s);
  if (n == 0) return false;
  out.scheme = std::string(s.substr(0, n - 3));
  std::string_view rest = s.substr(n);
  std::size_t end = rest.find_first_of("/?#");
  if (end == std::string_view::npos) end = rest.size();
  out.authority = std::string(rest.substr(0, end));
  out.rest = std::string(rest.substr(end));
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace rl::url
