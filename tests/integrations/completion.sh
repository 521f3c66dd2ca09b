#!/bin/bash
# The bash completion script, sourced in a real bash and driven like bash does on TAB (COMP_WORDS/COMP_CWORD).
# usage: completion.sh REDIRLINT SOURCE_DIR
set -u
exe=$1 src=$(realpath "$2")
export _REDIRLINT_EXE=$(realpath "$exe")
source "$src/contrib/completion/redirlint.bash" || { echo "FAIL: the script does not source"; exit 1; }
complete -p redirlint | grep -q -- '-F _redirlint' || { echo "FAIL: no completion registered"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp" && touch site.htaccess nginx.conf
status=0
complete_line() {  # complete_line "redirlint che" -> COMPREPLY sorted, one line
  read -r -a COMP_WORDS <<<"$1"
  [[ $1 == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE=$1 COMP_POINT=${#1}
  _redirlint
  printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
expect() {  # expect LINE WANTED: WANTED must equal the completions (sorted, space-separated)
  local got; got=$(complete_line "$1")
  if [[ $got == "$2" ]]; then echo "ok   '$1' -> $got"; else echo "FAIL '$1' -> '$got', want '$2'"; status=1; fi
}
contains() {  # contains LINE WORD: WORD is among the completions
  local got; got=" $(complete_line "$1") "
  if [[ $got == *" $2 "* ]]; then echo "ok   '$1' offers $2"; else echo "FAIL '$1' does not offer $2 (got$got)"; status=1; fi
}
expect "redirlint che" "check"
contains "redirlint " "lsp"
contains "redirlint " "graph"
contains "redirlint " "--version"
expect "redirlint check --out" "--output --output-file"
expect "redirlint check --output " "checkstyle gcc github gitlab json junit sarif text"
expect "redirlint graph --output " "dot mermaid"
expect "redirlint check --color a" "always auto"
expect "redirlint check --fail-level w" "warning"
expect "redirlint check --format ng" "nginx"
# Every format the binary reads, from its help (the list once stopped at netlify).
expect "redirlint check --format " "apache cloudflare-bulk htaccess iis netlify netlify-toml nginx page vercel yaml"
expect "redirlint convert --from v" "vercel"
expect "redirlint convert --to netlify" "netlify netlify-toml"
expect "redirlint check --fail-level " "error info never warning"
expect "redirlint graph --from " ""
expect "redirlint explain RL20" "RL201 RL202 RL203 RL204 RL205"
expect "redirlint explain redirect-l" "redirect-loop"
expect "redirlint check --select RL201,RL10" "RL201,RL101 RL201,RL102 RL201,RL103 RL201,RL104 RL201,RL105 RL201,RL106 RL201,RL107 RL201,RL108 RL201,RL109"
expect "redirlint check --output json si" "site.htaccess"
expect "redirlint check ngi" "nginx.conf"

# zsh: the real zsh runs _redirlint with the words of a command line; compadd, _describe and _files (which
# only exist inside zsh's completion widgets) print what they are given.
if command -v zsh >/dev/null; then
  mkdir -p "$tmp/bin" && ln -sf "$_REDIRLINT_EXE" "$tmp/bin/redirlint"
  zsh_complete() {  # zsh_complete "redirlint check --format " -> candidates sorted, one line
    PATH="$tmp/bin:$PATH" zsh -f -c '
      compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@" }
      _describe() { print -rl -- ${${(P)4}%%:*} }
      _files() { print -r -- "<files>" }
      words=(${(z)1}); [[ $1 == *" " ]] && words+=("")
      CURRENT=${#words}
      source "$2"' zsh "$1" "$src/contrib/completion/_redirlint" | sort | tr '\n' ' ' | sed 's/ $//'
  }
  zexpect() {
    local got; got=$(zsh_complete "$1")
    if [[ $got == "$2" ]]; then echo "ok   zsh '$1' -> $got"; else echo "FAIL zsh '$1' -> '$got', want '$2'"; status=1; fi
  }
  zsh_subs=$(zsh_complete "redirlint ")
  [[ " $zsh_subs " == *" check "*" "* && " $zsh_subs " == *" lsp "* ]] && echo "ok   zsh 'redirlint ' -> subcommands" \
    || { echo "FAIL zsh 'redirlint ' -> '$zsh_subs'"; status=1; }
  zexpect "redirlint check --output " "checkstyle gcc github gitlab json junit sarif text"
  zexpect "redirlint check --format " "apache cloudflare-bulk htaccess iis netlify netlify-toml nginx page vercel yaml"
  zexpect "redirlint convert --from " "apache cloudflare-bulk htaccess iis netlify netlify-toml nginx page vercel yaml"
  zexpect "redirlint check --fail-level " "error info never warning"
  zexpect "redirlint graph --from " ""
  zexpect "redirlint check --config " "<files>"
  zsh_opts=$(zsh_complete "redirlint check --")
  [[ " $zsh_opts " == *" --output-file "* && " $zsh_opts " == *" --no-ignore "* ]] && echo "ok   zsh 'redirlint check --' -> options" \
    || { echo "FAIL zsh 'redirlint check --' -> '$zsh_opts'"; status=1; }
  [[ " $(zsh_complete "redirlint explain ") " == *" RL201 "*" redirect-chain "* ]] && echo "ok   zsh explain -> checks" \
    || { echo "FAIL zsh 'redirlint explain ' offers no RL201"; status=1; }
else
  echo "note: zsh absent, its completion not run"
fi
[ $status -eq 0 ] && echo PASS
exit $status
