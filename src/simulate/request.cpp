// Placeholder until the simulator lands (issue 4); replaced wholesale by its owner.
#include "simulate/simulate.hpp"

namespace rl {

bool parse_request(std::string_view text, Request& out, std::string& error, const Request& base) {
  out = base;
  if (text.empty() || text[0] != '/') {
    error = "request parsing is not built yet";
    return false;
  }
  out.target = std::string(text);
  return true;
}

std::string request_url(const Request& r) { return r.scheme + "://" + r.host + r.target; }
std::string describe(const Request& r) { return r.method + " " + request_url(r); }
bool follow(const Request&, std::string_view, Request&) { return false; }

}  // namespace rl
