#!/usr/bin/env python3
"""A scripted LSP client: drives `redirlint lsp` over pipes through a whole editor session and checks
every answer (initialize, publishDiagnostics on open/change/save/close, codeAction, hover, shutdown/exit).

usage: lsp_client.py REDIRLINT
"""
import json
import subprocess
import sys
import threading

TIMEOUT = 20


class Client:
    def __init__(self, exe, args=("lsp",), cwd=None):
        self.proc = subprocess.Popen([exe, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd)
        self.next_id = 1
        self.inbox = []

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        """One framed message from the server (fails the test on a broken frame or a hang)."""
        result = {}

        def reader():
            length = None
            while True:
                line = self.proc.stdout.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            result["msg"] = json.loads(self.proc.stdout.read(length))

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        t.join(TIMEOUT)
        if "msg" not in result:
            fail("no message from the server within %ds" % TIMEOUT)
        return result["msg"]

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            msg = self.read()
            if msg.get("id") == rid:
                return msg
            self.inbox.append(msg)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def send_all(self, msgs):
        """Several messages in one write, as an editor sends a burst of keystrokes."""
        data = b""
        for msg in msgs:
            body = json.dumps(msg).encode()
            data += b"Content-Length: %d\r\n\r\n" % len(body) + body
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def publish_for(self, uri):
        """The next publishDiagnostics params (with its version) for `uri`."""
        while True:
            msg = self.inbox.pop(0) if self.inbox else self.read()
            if msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == uri:
                return msg["params"]

    def diagnostics_for(self, uri):
        """The next publishDiagnostics notification for `uri`."""
        while True:
            msg = self.inbox.pop(0) if self.inbox else self.read()
            if msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == uri:
                return msg["params"]["diagnostics"]


def fail(why):
    print("FAIL:", why)
    sys.exit(1)


def expect(cond, why):
    if not cond:
        fail(why)


URI = "file:///tmp/redirlint%20lsp/site.htaccess"
# Line 0: no status (RL101, safe fix "302 "); lines 1-2: a chain /a -> /b -> /c; line 3: a loop /x <-> /y.
TEXT = ("Redirect /old /new\n"
        "Redirect 301 /a /b\n"
        "Redirect 301 /b /c\n"
        "Redirect 301 /x /y\n"
        "Redirect 301 /y /x\n")
CLEAN = "Redirect 301 /old /new\n"


def main():
    c = Client(sys.argv[1])
    init = c.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    caps = init["result"]["capabilities"]
    expect(caps["textDocumentSync"]["change"] == 1, "full text sync")
    expect(caps["hoverProvider"] is True, "hover provider")
    expect("quickfix" in caps["codeActionProvider"]["codeActionKinds"], "quick fixes")
    expect(caps["positionEncoding"] == "utf-16", "UTF-16 positions when the client offers nothing else")
    c.notify("initialized", {})

    c.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "apacheconf", "version": 1, "text": TEXT}})
    diags = c.diagnostics_for(URI)
    codes = sorted(d["code"] for d in diags)
    print("diagnostics on open:", codes)
    rl101 = [d for d in diags if d["code"] == "RL101"]
    expect(len(rl101) == 1, "RL101 on the Redirect without a status")
    d = rl101[0]
    expect(d["range"] == {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 18}},
           "0-based range of the whole directive, got %s" % d["range"])
    expect(d["severity"] == 2, "warning severity")
    expect(d["source"] == "redirlint", "source")
    expect(d["codeDescription"]["href"].endswith("/docs/checks/RL101.md"), "codeDescription links the doc page")
    loops = [d for d in diags if d["code"] == "RL202"]
    expect(loops, "the /x <-> /y loop is reported (RL202)")
    expect(loops[0]["severity"] == 1, "a loop is an error")
    for dd in diags:
        for rel in dd.get("relatedInformation", []):
            expect(rel["location"]["uri"] == URI, "related hops point into the same buffer: %s" % rel)
            expect(rel["message"], "every related hop says what it is")
    chains = [d for d in diags if d["code"] == "RL201"]
    expect(chains and chains[0].get("relatedInformation"), "the chain /a -> /b -> /c names its hops")

    actions = c.request("textDocument/codeAction", {
        "textDocument": {"uri": URI},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": rl101}})["result"]
    titles = [a["title"] for a in actions]
    print("code actions on line 0:", titles)
    fix = [a for a in actions if a["diagnostics"][0]["code"] == "RL101" and not a["title"].startswith("Disable")]
    expect(len(fix) == 1 and fix[0]["kind"] == "quickfix", "one quick fix for RL101")
    edits = fix[0]["edit"]["changes"][URI]
    expect(edits == [{"range": {"start": {"line": 0, "character": 9}, "end": {"line": 0, "character": 9}},
                      "newText": "302 "}], "the fix inserts the explicit status: %s" % edits)
    expect(all(a["diagnostics"][0]["code"] != "RL102" for a in actions if not a["title"].startswith("Disable")),
           "unsafe fixes are not offered")
    none = c.request("textDocument/codeAction", {
        "textDocument": {"uri": URI}, "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
        "context": {"diagnostics": [], "only": ["refactor"]}})["result"]
    expect(none == [], "no quick fixes when the client asks for another kind")

    hover = c.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 1, "character": 3}})["result"]
    print("hover on line 1:", hover["contents"]["value"])
    text = hover["contents"]["value"]
    expect("GET http://example.com/a" in text and "301 http://example.com/b" in text and "301 http://example.com/c" in text,
           "hover follows the sample request through the chain")
    expect(hover["range"]["start"]["line"] == 1, "hover range is the rule")
    blank = c.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 40, "character": 0}})
    expect(blank["result"] is None, "no hover away from rules")

    c.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": CLEAN}]})
    expect(c.diagnostics_for(URI) == [], "a fixed buffer clears its diagnostics (the buffer, not the disk, is read)")
    c.notify("textDocument/didSave", {"textDocument": {"uri": URI}, "text": TEXT})
    expect(any(d["code"] == "RL202" for d in c.diagnostics_for(URI)), "save with text re-checks")
    c.notify("textDocument/didClose", {"textDocument": {"uri": URI}})
    expect(c.diagnostics_for(URI) == [], "close clears the diagnostics")

    unknown = c.request("workspace/symbol", {"query": ""})
    expect(unknown["error"]["code"] == -32601, "unknown requests get MethodNotFound")
    bad = c.request("textDocument/hover", {"textDocument": {}})
    expect(bad["error"]["code"] == -32602, "malformed params get InvalidParams and the server lives on")

    expect(c.request("shutdown", None)["result"] is None, "shutdown answers null")
    c.notify("exit", None)
    try:
        rc = c.proc.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        c.proc.kill()
        fail("the server did not exit")
    expect(rc == 0, "exit after shutdown returns 0, got %d" % rc)
    print("PASS")


if __name__ == "__main__":
    main()
