#!/usr/bin/env python3
"""Safe output (issue 9): rules whose pattern or target holds `;` `{` `}` quotes, spaces, newlines, `#`,
`\\` or `$` cannot inject directives into generated nginx or Apache configs. Hostile YAML, _redirects,
nginx and Apache sources are converted to nginx and apache; each output is started in the real server
(private instance on 127.0.0.1, port > 18000, helpers of tests/differential/run.py) and:
  - the server accepts the config (every hostile rule was escaped, or refused as RL301);
  - no request is answered by an injected directive: no 200, no body or header with INJECTED, and
    a redirect answers with a Location that starts with its target's first literal segment (a rule
    refused as RL301, or absent from a source, answers 403/404).
usage: injection.py REDIRLINT      exit 77 when a server binary is missing.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "differential"))
import run as diff  # noqa: E402

# (request path, expected status, Location prefix) per hostile rule; the same rules in every source.
SOURCES = {
    "hostile.yaml": """version: 1
redirects:
  - from: /a
    to: "/x; return 200 INJECTED"
    status: 301
  - from: /b
    to: "/y } server { listen 80; return 200 INJECTED; } #"
    status: 301
  - from: "/c d"
    to: /z
    status: 301
  - from: /e
    to: "/q\\"uote' RedirectMatch 200 ^/ INJECTED"
    status: 302
  - from: /f
    to: "/line\\nreturn 200 INJECTED;"
    status: 301
  - from: /g
    to: "/dollar$host\\\\back"
    status: 301
  - from: "/h;return"
    to: /ok
    status: 301
  - from: "^/r/(.*)\\\\s;{}$"
    match: regex
    to: "/rr/$1"
    status: 301
  - from: /i
    to: "/hash#frag {"
    status: 301
""",
    "_redirects": """/a /x;return%20200%20INJECTED 301
/b /y};server{return%20200%20INJECTED;} 301
/e /q"uote'{ 302
/g /dollar$host\\back 301
/h;return /ok 301
/i /hash#frag 301
""",
    "hostile_nginx.conf": """server {
    listen 80;
    location = /a { return 301 "/x; return 200 INJECTED"; }
    location = /b { return 301 '/y } server { return 200 INJECTED; } #'; }
    location = "/c d" { return 301 /z; }
    location = /e { return 302 "/q\\"uote' RedirectMatch 200 ^/ INJECTED"; }
    location = /i { return 301 "/hash#frag {"; }
    rewrite "^/r/(.*);\\{\\}$" "/rr/$1" permanent;
}
""",
    "hostile_apache.conf": """Redirect 301 /a "/x; return 200 INJECTED"
Redirect 301 /b "/y } server { listen 80; return 200 INJECTED; } #"
Redirect 301 "/c d" /z
Redirect 302 /e "/q\\"uote' RedirectMatch 200 ^/ INJECTED"
Redirect 301 /i "/hash#frag {"
RewriteEngine On
RewriteRule "^/r/(.*);\\{\\}$" "/rr/$1" [R=301,L]
RewriteRule "^/h;return$" "/ok" [R=301,L]
""",
}
REQUESTS = [("/a", "/x"), ("/b", "/y"), ("/c%20d", "/z"), ("/e", "/q"), ("/f", "/line"), ("/g", "/dollar"),
            ("/h;return", "/ok"), ("/r/k;%7B%7D", "/rr/k"), ("/i", "/hash"), ("/INJECTED", None)]


class Case:
    def __init__(self, config):
        self.config, self.files, self.htaccess = config, [], None


def served_config(kind, text):
    if kind == "nginx":
        # Outputs are server{} blocks for the http context; listen on our private port instead of 80.
        return text.replace("listen 80;", "listen @LISTEN@;").replace("listen 80 ", "listen @LISTEN@ ")
    return text


def main():
    binary = os.path.abspath(sys.argv[1])
    if not os.path.exists(diff.NGINX) or not os.path.exists(diff.APACHE):
        print("skipped: nginx or apache2 not installed")
        return 77
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        for name, text in SOURCES.items():
            src = os.path.join(work, name)
            with open(src, "w") as f:
                f.write(text)
            for to in ("nginx", "apache"):
                r = subprocess.run([binary, "convert", "--to", to, src], capture_output=True, timeout=60)
                label = f"{name} -> {to}"
                if r.returncode not in (0, 1):
                    print(f"FAIL {label}: exit {r.returncode}: {r.stderr.decode()[-400:]}")
                    failures += 1
                    continue
                out = r.stdout.decode("utf-8", "surrogateescape")
                refused = r.stderr.decode().count("[RL301]")
                tmp = tempfile.mkdtemp(dir=work)
                server = diff.Server(to, Case(served_config(to, out)), tmp)
                try:
                    server.start()
                except RuntimeError as e:
                    print(f"FAIL {label}: the server refused the converted config: {str(e)[:600]}\n{out}")
                    failures += 1
                    continue
                try:
                    bad = []
                    for path, prefix in REQUESTS:
                        status, location = diff.send(server.port, "GET", path, [])
                        # Every `return 200` in the sources is inside a target: a 200 can only be injected.
                        # (A Location holding the target's text, INJECTED included, is the rule doing its job.)
                        if status == "200":
                            bad.append(f"{path}: {status} {location} (injected)")
                        elif prefix and status.startswith("3"):
                            loc_path = location.split("://", 1)[-1]
                            loc_path = loc_path[loc_path.find("/"):] if "://" in location else location
                            if not loc_path.startswith(prefix):
                                bad.append(f"{path}: Location {location!r} does not start with {prefix!r}")
                        elif status.startswith("3") and not prefix:
                            bad.append(f"{path}: unexpected redirect to {location!r}")
                    if bad:
                        failures += 1
                        print(f"FAIL {label}: " + "; ".join(bad) + "\n" + out)
                    else:
                        print(f"ok {label}: server loaded it, {refused} rule(s) refused (RL301), "
                              f"{len(REQUESTS)} requests without injected behaviour")
                finally:
                    server.stop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
