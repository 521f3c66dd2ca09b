#!/bin/bash
# `cmake --install` into a temporary prefix, then the installed files used as a user would: the binary
# runs from the prefix and lints a looping file (exit 1, RL202), `man -l` renders the generated page with
# every subcommand, and the completions are where bash, zsh and fish look and parse in their shells.
# usage: install.sh BUILD_DIR SOURCE_DIR
set -u
build=$1 src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null || fail "cmake --install failed"
exe="$prefix/bin/redirlint"
[ -x "$exe" ] || fail "no bin/redirlint in the prefix"
"$exe" --version | grep -q '^redirlint [0-9]' || fail "installed binary: no version"
printf 'Redirect 301 /x /y\nRedirect 301 /y /x\n' > "$prefix/.htaccess"
out=$("$exe" check "$prefix/.htaccess" 2>&1); rc=$?
[ $rc -eq 1 ] || fail "installed binary: check of a loop exited $rc, not 1"
grep -q 'RL202' <<<"$out" || fail "installed binary: no RL202 for a loop: $out"
"$exe" explain RL201 | grep -q '^# RL201' || fail "installed binary: explain RL201 prints no page"

page="$prefix/share/man/man1/redirlint.1"
[ -f "$page" ] || fail "no share/man/man1/redirlint.1"
if command -v man >/dev/null; then
  text=$(MANWIDTH=100 man -l -P cat "$page" 2>"$prefix/man.err") || fail "man -l failed: $(cat "$prefix/man.err")"
  [ -s "$prefix/man.err" ] && fail "man -l warned: $(cat "$prefix/man.err")"
  for sub in $("$exe" --help | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1}'); do
    grep -q "Usage: redirlint $sub" <<<"$text" || fail "the man page has no section for '$sub'"
  done
  grep -q 'EXIT STATUS' <<<"$text" || fail "the man page has no EXIT STATUS"
  grep -q 'RL201 *redirect-chain' <<<"$text" || fail "the man page does not list the checks"
else
  echo "note: man is not installed; the page's presence only was checked"
fi

for f in share/bash-completion/completions/redirlint share/zsh/vendor-completions/_redirlint \
         share/fish/vendor_completions.d/redirlint.fish share/doc/redirlint/README.md \
         share/doc/redirlint/checks/RL201.md; do
  [ -f "$prefix/$f" ] || fail "not installed: $f"
done
bash -n "$prefix/share/bash-completion/completions/redirlint" || fail "bash completion does not parse"
if command -v zsh >/dev/null; then zsh -n "$prefix/share/zsh/vendor-completions/_redirlint" || fail "zsh completion does not parse"
else echo "note: zsh absent, its completion not parsed"; fi
if command -v fish >/dev/null; then
  fish -n "$prefix/share/fish/vendor_completions.d/redirlint.fish" || fail "fish completion does not parse"
  # fish's own completion engine, with the installed binary first on PATH.
  got=$(PATH="$prefix/bin:$PATH" fish --no-config -c "source $prefix/share/fish/vendor_completions.d/redirlint.fish; complete -C 'redirlint ch'")
  grep -q '^check' <<<"$got" || fail "fish does not complete 'redirlint ch' to check: $got"
  got=$(PATH="$prefix/bin:$PATH" fish --no-config -c "source $prefix/share/fish/vendor_completions.d/redirlint.fish; complete -C 'redirlint explain RL20'")
  grep -q '^RL201' <<<"$got" || fail "fish does not complete check codes after explain: $got"
  # Option values from the binary's help: every format, and `never` for --fail-level.
  got=$(PATH="$prefix/bin:$PATH" fish --no-config -c "source $prefix/share/fish/vendor_completions.d/redirlint.fish; complete -C 'redirlint check --format '" | cut -f1 | sort | tr '\n' ' ')
  [ "$got" = "apache cloudflare-bulk htaccess iis netlify netlify-toml nginx page vercel yaml " ] || fail "fish: check --format offers '$got'"
  got=$(PATH="$prefix/bin:$PATH" fish --no-config -c "source $prefix/share/fish/vendor_completions.d/redirlint.fish; complete -C 'redirlint check --fail-level n'" | cut -f1)
  [ "$got" = never ] || fail "fish: check --fail-level n offers '$got'"
else echo "note: fish absent, its completion not tried"; fi
echo "install: binary, man page, completions and docs installed and working"
