// mod_alias: Redirect, RedirectMatch, RedirectPermanent, RedirectTemp (SEMANTICS.md §1).
// The argument checks reproduce add_redirect_internal() in modules/mappers/mod_alias.c, so a file
// httpd refuses to load is an error here too.
#include <cctype>
#include <cstdlib>

#include "parse/apache_internal.hpp"
#include "parse/quick_regex.hpp"
#include "util/regex.hpp"

namespace rl::apache {

namespace {

/// Status codes httpd has a status line for (ap_index_of_response()); others become 500.
bool known_status(int s) {
  return (s >= 100 && s <= 103) || (s >= 200 && s <= 208) || s == 226 || (s >= 300 && s <= 308) ||
         (s >= 400 && s <= 418) || (s >= 421 && s <= 426) || s == 428 || s == 429 || s == 431 || s == 451 ||
         (s >= 500 && s <= 508) || s == 510 || s == 511;
}

bool is_redirect_status(int s) { return s >= 300 && s <= 399; }

}  // namespace

void Parser::directive_redirect(const LogicalLine& ln, std::string_view name, const std::vector<Arg>& args) {
  const std::string lname = lower(name);
  const bool regex = lname == "redirectmatch";
  // Canonical spelling: Origin::directive is compared by other stages.
  const std::string dname = lname == "redirectmatch"       ? "RedirectMatch"
                            : lname == "redirectpermanent" ? "RedirectPermanent"
                            : lname == "redirecttemp"      ? "RedirectTemp"
                                                           : "Redirect";
  const std::size_t max_args = (lname == "redirectpermanent" || lname == "redirecttemp") ? 2 : 3;
  if (args.empty() || args.size() > max_args) {
    report("RL001", line_range(ln),
           dname + " takes " + (max_args == 2 ? "two arguments" : "one, two or three arguments") + ", got " +
               std::to_string(args.size()) + (args.size() > max_args ? " (httpd has no end-of-line comments)" : ""));
    return;
  }
  int status = lname == "redirectpermanent" ? 301 : 302;
  bool implicit = lname == "redirect" || lname == "redirectmatch";
  const Arg* status_arg = nullptr;
  // add_redirect_internal(): try the first argument as a status.
  int grok = 1;
  std::string a1 = lower(args[0].value);
  if (a1 == "permanent") status = 301;
  else if (a1 == "temp") status = 302;
  else if (a1 == "seeother") status = 303;
  else if (a1 == "gone") status = 410, grok = -1;
  else if (!a1.empty() && std::isdigit(static_cast<unsigned char>(a1[0]))) {
    status = std::atoi(a1.c_str());
    if (!is_redirect_status(status)) grok = -1;
  } else {
    grok = 0;
  }
  if (grok != 0) {
    implicit = false;
    status_arg = &args[0];
  }
  const Arg* from = nullptr;
  const Arg* to = nullptr;
  if (grok == 0) {
    if (args.size() == 3) {
      report("RL001", arg_range(ln, args[0]),
             dname + ": invalid first argument (of three): " + quote(args[0].value) +
                 " is not a status (permanent, temp, seeother, gone or a number)");
      return;
    }
    from = &args[0];
    to = args.size() > 1 ? &args[1] : nullptr;
  } else {
    from = args.size() > 1 ? &args[1] : nullptr;
    to = args.size() > 2 ? &args[2] : nullptr;
  }
  // Inside <Location>, the URL-path may be left out: `Redirect [status] URL` (mod_alias docs).
  const Block* location = nullptr;
  int inner = innermost_block();
  for (int b = inner; b >= 0; b = rs_.blocks[static_cast<std::size_t>(b)].parent)
    if (rs_.blocks[static_cast<std::size_t>(b)].kind == BlockKind::location) {
      location = &rs_.blocks[static_cast<std::size_t>(b)];
      break;
    }
  bool from_location = false;
  if (location && (to == nullptr) && (grok == 0 || (grok == 1 && from) || (grok == -1 && !from))) {
    to = (grok == 0 || grok == 1) ? from : nullptr;
    from = nullptr;
    from_location = true;
  }
  if (!from && !from_location) {
    report("RL001", line_range(ln), dname + " needs a URL-path to match");
    return;
  }
  Rule r = new_rule(ln, dname);
  if (from_location) {
    const bool match_block = lower(location->directive) == "locationmatch" || location->argument.rfind("~", 0) == 0;
    r.match.kind = match_block ? MatchKind::regex : MatchKind::prefix;
    r.match.text = location->path;
    r.match.original = location->path;
  } else {
    r.match.kind = regex ? MatchKind::regex : MatchKind::prefix;
    r.match.text = from->value;
    r.match.original = from->value;
  }
  int groups = 0;
  if (regex && from && quick_valid_regex(from->value, groups)) {
    // valid, `groups` counted without compiling
  } else if (regex && from) {
    RegexError err;
    auto re = Regex::compile(from->value, false, &err);
    if (!re) {
      std::size_t o = std::min(err.offset, from->value.size());
      std::size_t b = o >= from->value.size() && o > 0 ? o - 1 : o;
      report("RL003", value_range(ln, *from, b, std::min(b + 1, from->value.size())),
             "invalid regex " + quote(from->value) + ": " + err.message + " at offset " + std::to_string(err.offset));
      return;
    }
    groups = static_cast<int>(re->capture_count());
  }
  if (is_redirect_status(status)) {
    if (!to) {
      report("RL001", line_range(ln), dname + ": URL to redirect to is missing (status " + std::to_string(status) + " needs one)");
      return;
    }
    if (!regex && !is_url(to->value) && (to->value.empty() || to->value[0] != '/')) {
      report("RL001", arg_range(ln, *to),
             dname + " to non-URL " + quote(to->value) + ": the target must be an absolute URL or start with '/'");
      return;
    }
  } else if (to) {
    report("RL004", status_arg ? arg_range(ln, *status_arg) : arg_range(ln, *to),
           dname + " URL not valid for status " + std::to_string(status) + ": only 3xx codes take a URL (" +
               quote(to->value) + ")");
    return;
  }
  if (!known_status(status)) {
    report("RL004", status_arg ? arg_range(ln, *status_arg) : line_range(ln),
           "status " + std::to_string(status) + " is unknown to httpd: every matching request gets 500 instead");
  }
  r.status = status;
  r.status_implicit = implicit;
  r.flow = Flow::stop;
  if (is_redirect_status(status)) {
    r.action = Action::redirect;
    Template t = alias_template(to->value, regex);
    for (auto [n, at] : t.rule_refs)
      if (n > groups)
        report("RL005", value_range(ln, *to, at, at + 2),
               "$" + std::to_string(n) + " refers to group " + std::to_string(n) + ", but the pattern " +
                   quote(r.match.original) + " has " + count_groups(groups));
    Target tg;
    tg.url = std::move(t.url);
    tg.absolute = is_url(to->value);
    tg.query = to->value.find('?') != std::string::npos ? QueryMode::replace : QueryMode::keep;
    r.target = std::move(tg);
  } else {
    r.action = Action::answer;
  }
  rs_.rules.push_back(std::move(r));
}

}  // namespace rl::apache
