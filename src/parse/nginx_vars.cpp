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
