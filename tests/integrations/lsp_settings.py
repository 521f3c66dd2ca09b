#!/usr/bin/env python3
"""The language server lints like `redirlint check` (one lint()): the buffer's .redirlint.yaml found upward
from its path, the editor's settings (initializationOptions, workspace/didChangeConfiguration) over it;
`lsp --stdio` works; publishDiagnostics echoes the document version; a burst of edits sent at once is
analysed once, at its last version; code actions offer "Disable <code> for this line"; document symbols
list the rules; go-to-definition on a rule jumps to the rule that answers its next hop; a broken
.redirlint.yaml is shown (window/showMessage) and the buffer is still checked; the config's limits and
per-path format apply to a buffer as to the file.
usage: lsp_settings.py REDIRLINT
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Client, expect, fail, TIMEOUT  # noqa: E402

TEXT = ("Redirect /old /new\n"          # line 0: implicit 302 (RL101/RL104)
        "Redirect 301 /a /b\n"          # lines 1-2: chain /a -> /b -> /c
        "Redirect 301 /b /c\n")


def codes(diags):
    return sorted({d["code"] for d in diags})


def session(exe, root, init_options=None):
    c = Client(exe, ("lsp", "--stdio"))
    init = c.request("initialize", {"processId": None, "rootUri": None, "capabilities": {},
                                    "initializationOptions": init_options or {}})
    expect("result" in init, "initialize over lsp --stdio: %s" % init)
    c.notify("initialized", {})
    return c, init["result"]["capabilities"]


def main():
    exe = sys.argv[1]
    with tempfile.TemporaryDirectory() as root:
        site = os.path.join(root, "site")
        os.mkdir(site)
        path = os.path.join(site, ".htaccess")
        uri = "file://" + path
        with open(path, "w") as f:
            f.write(TEXT)
        check = subprocess.run([exe, "check", "--output", "gcc", path], capture_output=True, text=True)
        cli_codes = sorted({l.rsplit("[", 1)[1].rstrip("]") for l in check.stdout.splitlines() if ": note:" not in l})

        # 1. No config: the same codes as the CLI.
        c, caps = session(exe, root)
        expect(caps.get("documentSymbolProvider") and caps.get("definitionProvider"), "symbol/definition providers")
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "apacheconf", "version": 7, "text": TEXT}})
        p = c.publish_for(uri)
        expect(p.get("version") == 7, "publishDiagnostics echoes the version: %s" % p.get("version"))
        expect(codes(p["diagnostics"]) == cli_codes, "LSP %s != check %s" % (codes(p["diagnostics"]), cli_codes))

        # 2. A burst of five edits in one write: analysed once, at version 12.
        burst = [{"jsonrpc": "2.0", "method": "textDocument/didChange",
                  "params": {"textDocument": {"uri": uri, "version": v},
                             "contentChanges": [{"text": TEXT + "# edit %d\n" % v}]}} for v in range(8, 13)]
        c.send_all(burst)
        p = c.publish_for(uri)
        expect(p.get("version") == 12, "a burst of edits is analysed at its last version, got %s" % p.get("version"))

        # 3. Code actions: disable for this line; document symbols; definition.
        actions = c.request("textDocument/codeAction", {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
            "context": {"diagnostics": []}})["result"]
        disable = [a for a in actions if a["title"] == "Disable RL201 for this line"]
        expect(disable, "a 'Disable RL201 for this line' action: %s" % [a["title"] for a in actions])
        edit = disable[0]["edit"]["changes"][uri][0]
        expect(edit["newText"] == "# redirlint disable=RL201\n" and edit["range"]["start"] == {"line": 1, "character": 0},
               "the disable comment goes on its own line above the rule: %s" % edit)
        symbols = c.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})["result"]
        expect([s["name"] for s in symbols] == ["Redirect /old /new", "Redirect 301 /a /b", "Redirect 301 /b /c"],
               "document symbols are the rules: %s" % [s["name"] for s in symbols])
        loc = c.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 3}})["result"]
        expect(loc and loc["uri"] == uri and loc["range"]["start"]["line"] == 2,
               "definition of /a -> /b is the rule answering /b (line 2): %s" % loc)
        c.request("shutdown", None)
        c.notify("exit", None)
        c.proc.wait(TIMEOUT)

        # 4. A .redirlint.yaml above the file is honoured, as by check.
        with open(os.path.join(root, ".redirlint.yaml"), "w") as f:
            f.write("ignore: [RL201]\n")
        c, _ = session(exe, root)
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "apacheconf", "version": 1, "text": TEXT}})
        got = codes(c.publish_for(uri)["diagnostics"])
        expect("RL201" not in got and got, ".redirlint.yaml ignore: [RL201] is honoured: %s" % got)
        # 5. Settings from the editor over it; then changed at run time.
        c.notify("workspace/didChangeConfiguration", {"settings": {"redirlint": {"select": ["RL201"]}}})
        got = codes(c.publish_for(uri)["diagnostics"])
        expect(got == [], "select: [RL201] with the config's ignore: [RL201] leaves nothing: %s" % got)
        c.notify("workspace/didChangeConfiguration", {"settings": {"redirlint": {"config": os.path.join(root, "none.yaml")}}})
        msgs = []
        while True:
            m = c.read()
            msgs.append(m)
            if m.get("method") == "textDocument/publishDiagnostics":
                break
        shown = [m for m in msgs if m.get("method") == "window/showMessage"]
        expect(shown and "none.yaml" in shown[0]["params"]["message"], "a config that does not load is shown: %s" % msgs)
        expect("RL201" in codes(msgs[-1]["params"]["diagnostics"]), "and the buffer is checked with the defaults")
        c.request("shutdown", None)
        c.notify("exit", None)
        c.proc.wait(TIMEOUT)

        # 6. initializationOptions select.
        c, _ = session(exe, root, {"select": ["RL101"], "config": os.path.join(root, ".redirlint.yaml")})
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "apacheconf", "version": 1, "text": TEXT}})
        got = codes(c.publish_for(uri)["diagnostics"])
        expect(got == ["RL101"], "initializationOptions select: [RL101]: %s" % got)
        c.request("shutdown", None)
        c.notify("exit", None)
        expect(c.proc.wait(TIMEOUT) == 0, "clean exit")

        # 7. The buffer is read as check reads the file: the config's limits and per-path settings.
        with open(os.path.join(root, ".redirlint.yaml"), "w") as f:
            f.write("max-line-bytes: 10\nper-path:\n  \"rules/*.txt\": {format: netlify}\n")
        check = subprocess.run([exe, "check", "--output", "gcc", path], capture_output=True, text=True)
        expect("limit max-line-bytes is 10" in check.stdout, "check applies max-line-bytes: %s" % check.stdout)
        c, _ = session(exe, root)
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "apacheconf", "version": 1, "text": TEXT}})
        diags = c.publish_for(uri)["diagnostics"]
        expect(codes(diags) == ["RL001"] and "limit max-line-bytes is 10" in diags[0]["message"],
               "the config's max-line-bytes applies to the buffer, as to check: %s" % diags)
        txt = os.path.join(root, "rules", "r.txt")
        netlify = "/a /b 301\n/b /c 301\n"
        c.notify("textDocument/didOpen", {"textDocument": {"uri": "file://" + txt, "languageId": "plaintext",
                                                          "version": 1, "text": netlify}})
        got = codes(c.publish_for("file://" + txt)["diagnostics"])
        expect(got == ["RL201"], "per-path format: netlify reads rules/r.txt as _redirects: %s" % got)
        c.request("shutdown", None)
        c.notify("exit", None)
        expect(c.proc.wait(TIMEOUT) == 0, "clean exit")
    print("PASS")


if __name__ == "__main__":
    main()
