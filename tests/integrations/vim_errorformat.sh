#!/bin/bash
# The Vim errorformat of docs/editors.md, read from the doc and used by the real Vim on `check --output gcc`:
# errors, warnings and info keep their type (E/W/I) in the quickfix list, notes are entries of their own.
# usage: vim_errorformat.sh REDIRLINT SOURCE_DIR
set -u
exe=$1 src=$2
command -v vim >/dev/null || { echo "SKIP: vim is not installed"; exit 77; }
efm=$(sed -n 's/^set errorformat=//p' "$src/docs/editors.md")
[ -n "$efm" ] || { echo "FAIL: no 'set errorformat=' line in docs/editors.md"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'Redirect 301 /x /y\nRedirect 301 /y /x\nRedirect /t /u\n' > "$tmp/.htaccess"
"$exe" check --output gcc "$tmp/.htaccess" > "$tmp/out.txt" 2>/dev/null
# One line per quickfix entry: type and text.
vim -es -N -u NONE -c "set errorformat=$efm" -c "cgetfile $tmp/out.txt" \
  -c "call writefile(map(getqflist(), 'v:val.type . \" \" . v:val.text'), '$tmp/qf.txt')" -c 'qa!'
want_lines=$(grep -c . "$tmp/out.txt")
got_lines=$(grep -c . "$tmp/qf.txt")
[ "$got_lines" = "$want_lines" ] || { echo "FAIL: $got_lines quickfix entries for $want_lines lines"; cat "$tmp/qf.txt"; exit 1; }
grep -q '^e redirect loop' "$tmp/qf.txt" || { echo "FAIL: the loop is not an error entry"; cat "$tmp/qf.txt"; exit 1; }
grep -q '^w ' "$tmp/qf.txt" || { echo "FAIL: no warning entry"; cat "$tmp/qf.txt"; exit 1; }
grep -q '^  *hop 1' "$tmp/qf.txt" || grep -q '^ hop 1' "$tmp/qf.txt" || { echo "FAIL: the hops are not entries"; cat "$tmp/qf.txt"; exit 1; }
echo "PASS: vim keeps the severity of $want_lines lines"
