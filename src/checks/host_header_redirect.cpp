#include "checks/host_header_redirect.hpp"

#include <algorithm>

#include "analysis/facts.hpp"
#include "analysis/shared_facts.hpp"
#include "checks/rule_example.hpp"
#include "simulate/url.hpp"
#include "util/regex.hpp"

namespace rl {

namespace {

constexpr std::string_view kForeignHost = "evil.example";

bool is_host_header(const TemplatePart& p) {
  return p.kind == PartKind::variable && (p.text == "http_host" || p.text == "host");
}

// Does the rule's server answer a request for any Host? Only where the configuration says so: nginx
// `listen ... default_server`, Apache `<VirtualHost _default_:...>`, a name that matches every host
// (`ServerAlias *`, `server_name ~.*`). Elsewhere (a named server, .htaccess, rules outside any server)
// which server answers a foreign Host depends on files not read: no claim.
bool answers_any_host(const RuleSet& rs, const Rule& r) {
  if (r.scope.server < 0) return false;
  const Block& b = rs.blocks[static_cast<std::size_t>(r.scope.server)];
  if (b.default_server || b.argument.find("_default_") != std::string::npos) return true;
  return std::any_of(b.server_names.begin(), b.server_names.end(), [](const std::string& n) {
    if (n == "*") return true;
    if (n.size() < 2 || n[0] != '~') return false;
    auto re = Regex::compile(n.substr(1), true);
    return re && re->matches(kForeignHost);
  });
}

class HostHeaderRedirect final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    for (const Rule& r : ctx.rules.rules) {
      if (!analysis::is_redirect(r)) continue;
      analysis::TargetShape s = analysis::target_shape(*r.target);
      if (!s.absolute || std::none_of(s.authority.begin(), s.authority.end(), is_host_header)) continue;
      if (analysis::has_host_limit(ctx.rules, r) || !answers_any_host(ctx.rules, r)) continue;
      // Confirmed by the simulator: a request with a foreign Host is answered by this rule, to that host.
      std::optional<analysis::SharedFacts> local;
      analysis::SharedFacts& facts = analysis::SharedFacts::of(ctx, local);
      std::span<const std::string> examples = facts.example_paths(r.id);
      Request q;
      q.host = std::string(kForeignHost);
      if (std::string scheme = analysis::scheme_restriction(ctx.rules, r); !scheme.empty()) q.scheme = scheme;
      q.target = examples.empty() ? std::string("/") : analysis::encode_path(examples[0]);
      std::optional<Example> e = example_if_answered(ctx, r, q);
      if (!e) continue;
      url::UrlParts parts;
      if (!url::split_absolute(e->hops[0].location, parts) || url::split_host(parts.authority).name != kForeignHost)
        continue;
      std::string var = r.origin.format == Format::nginx ? "$host" : "%{HTTP_HOST}";
      for (const TemplatePart& p : s.authority)
        if (p.kind == PartKind::variable && p.text == "http_host" && r.origin.format == Format::nginx) var = "$http_host";
      Diagnostic d = make_diagnostic(
          "RL110", r.where,
          "redirect copies the Host header (" + var + ") into its Location on a server that answers any host: " +
              e->request + " is sent to " + analysis::quoted(e->hops[0].location) +
              "; a cache in front can be poisoned with it, name the host instead");
      d.example = std::move(e);
      out.report(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_host_header_redirect() { return std::make_unique<HostHeaderRedirect>(); }

}  // namespace rl
