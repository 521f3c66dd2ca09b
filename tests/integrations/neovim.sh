#!/bin/bash
# The Neovim snippet of docs/editors.md for the Neovim Debian ships (0.7), run as written in a headless
# nvim: a looping .htaccess gets the RL202 error at 1:1 through redirlint's language server, and the
# server's code actions for it include "Disable RL202 for this line". Skips (77) without nvim, or when
# the nvim here is not 0.7 (the other snippets need 0.8+ APIs and are not run).
# usage: neovim.sh REDIRLINT SOURCE_DIR
set -u
exe=$(realpath "$1") src=$(realpath "$2")
command -v nvim >/dev/null || { echo "SKIP: nvim is not installed"; exit 77; }
nvim --version | head -1 | grep -q '^NVIM v0\.7\.' || { echo "SKIP: $(nvim --version | head -1), not 0.7"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" && ln -s "$exe" "$tmp/bin/redirlint"
# The 0.7 block, exactly as the page shows it.
awk '/^Neovim 0\.7/ {on = 1; next} on && /^```lua/ {grab = 1; next} grab && /^```/ {exit} grab {print}' \
  "$src/docs/editors.md" > "$tmp/init.lua"
grep -q 'start_client' "$tmp/init.lua" || { echo "FAIL: no Neovim 0.7 snippet found in docs/editors.md"; exit 1; }
cat > "$tmp/probe.lua" <<'LUA'
local out = {}
if not vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50) then
  table.insert(out, "no diagnostics within 20 s")
end
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  table.insert(out, string.format("diag %d:%d severity=%d %s", d.lnum + 1, d.col + 1, d.severity, tostring(code)))
end
local params = vim.lsp.util.make_range_params()
params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(0, 0) }
for _, r in pairs(vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, 10000) or {}) do
  for _, a in ipairs(r.result or {}) do table.insert(out, "action " .. a.title) end
end
vim.fn.writefile(out, "result.txt")
vim.cmd("qall!")
LUA
cd "$tmp" && printf 'Redirect 301 /x /y\nRedirect 301 /y /x\n' > .htaccess
PATH="$tmp/bin:$PATH" HOME="$tmp" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_STATE_HOME="$tmp/state" \
  timeout 60 nvim --headless -u "$tmp/init.lua" -i NONE .htaccess -c "luafile $tmp/probe.lua" </dev/null
cat result.txt 2>/dev/null || { echo "FAIL: nvim wrote no result"; exit 1; }
grep -qx 'diag 1:1 severity=1 RL202' result.txt || { echo "FAIL: no RL202 error at 1:1 in Neovim"; exit 1; }
grep -q '^action Disable RL202 for this line' result.txt || { echo "FAIL: no 'Disable RL202 for this line' action"; exit 1; }
echo PASS
