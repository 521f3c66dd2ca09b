#include "parse/nginx_vars.hpp"

#include <cctype>

namespace rl::nginx {

namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

}  // namespace

std::string variable_template(std::string_view raw_name) {
  // nginx variable names are case-insensitive (ngx_http_get_variable lower-cases them).
  std::string name = lower(raw_name);
  struct Known {
    std::string_view nginx, model;
  };
  static constexpr Known kKnown[] = {
      {"scheme", "${scheme}"},         {"host", "${host}"},
      {"http_host", "${http_host}"},   {"request_uri", "${request_uri}"},
      {"uri", "${uri}"},               {"document_uri", "${uri}"},
      {"args", "${query}"},            {"query_string", "${query}"},
      {"is_args", "${is_args}"},       {"server_name", "${server_name}"},
      {"server_port", "${server_port}"}, {"request_method", "${method}"},
      {"https", "${https}"},
  };
  for (const Known& k : kKnown)
    if (k.nginx == name) return std::string(k.model);
  if (name.rfind("arg_", 0) == 0 && name.size() > 4) return "${arg:" + name.substr(4) + "}";
  if (name.rfind("http_", 0) == 0 && name.size() > 5) {
    std::string header = name.substr(5);
    for (char& c : header)
      if (c == '_') c = '-';
    return "${http:" + header + "}";
  }
  return "${var:" + name + "}";
}

bool is_builtin_variable(std::string_view raw_name) {
  std::string name = lower(raw_name);
  static constexpr std::string_view kExact[] = {
      "ancient_browser", "args", "binary_remote_addr", "body_bytes_sent", "bytes_sent", "connection",
      "connection_requests", "connection_time", "content_length", "content_type", "date_gmt", "date_local",
      "document_root", "document_uri", "host", "hostname", "https", "is_args", "limit_rate", "modern_browser",
      "msec", "msie", "nginx_version", "pid", "pipe", "proxy_add_x_forwarded_for", "proxy_host", "proxy_port",
      "proxy_protocol_addr", "proxy_protocol_port", "query_string", "realpath_root", "remote_addr", "remote_port",
      "remote_user", "request", "request_body", "request_body_file", "request_completion", "request_filename",
      "request_id", "request_length", "request_method", "request_time", "request_uri", "scheme", "server_addr",
      "server_name", "server_port", "server_protocol", "status", "uri", "invalid_referer", "secure_link",
      "secure_link_expires", "gzip_ratio", "http2", "http3", "binary_remote_addr", "realip_remote_addr",
      "realip_remote_port", "time_iso8601", "time_local", "fastcgi_script_name", "fastcgi_path_info"};
  static constexpr std::string_view kPrefix[] = {"arg_",          "http_",          "sent_http_", "sent_trailer_",
                                                 "cookie_",       "upstream_",      "ssl_",       "geoip_",
                                                 "geoip2_",       "jwt_",           "tcpinfo_",   "uid_",
                                                 "limit_req_",    "limit_conn_",    "proxy_protocol_tlv_"};
  for (std::string_view e : kExact)
    if (name == e) return true;
  for (std::string_view p : kPrefix)
    if (name.rfind(p, 0) == 0) return true;
  return !name.empty() && std::isdigit(static_cast<unsigned char>(name[0]));
}

std::string to_template(std::string_view v, const Captures& caps, std::vector<BadCapture>* bad) {
  std::string out;
  out.reserve(v.size() + 8);
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '%') {
      out += "%%";
      continue;
    }
    if (c != '$') {
      out += c;
      continue;
    }
    if (i + 1 < v.size() && std::isdigit(static_cast<unsigned char>(v[i + 1]))) {
      int n = v[i + 1] - '0';
      if (bad && caps.count >= 0 && n > caps.count) bad->push_back({i, 2, n});
      out += caps.prefix;
      out += v[i + 1];
      ++i;
      continue;
    }
    std::size_t b = i + 1, e = b;
    bool braced = b < v.size() && v[b] == '{';
    if (braced) {
      e = v.find('}', b + 1);
      if (e == std::string_view::npos) {  // nginx refuses this; kept literal
        out += "$$";
        continue;
      }
      ++b;
    } else {
      while (e < v.size() && name_char(v[e])) ++e;
    }
    std::string_view name = v.substr(b, e - b);
    if (name.empty()) {
      out += "$$";
      continue;
    }
    i = braced ? e : e - 1;
    bool named = false;
    for (const auto& [n, num] : caps.names)
      if (n == name) {
        if (num > 9) break;  // the template has $0..$9 only
        out += caps.prefix;
        out += static_cast<char>('0' + num);
        named = true;
        break;
      }
    if (!named) out += variable_template(name);
  }
  return out;
}

}  // namespace rl::nginx
