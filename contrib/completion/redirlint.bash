# bash completion for redirlint.
#   source contrib/completion/redirlint.bash        (or copy it to /usr/share/bash-completion/completions/redirlint)
# Subcommands, options and their allowed values are read from `redirlint --help` output, so they never drift
# from the binary; check codes and slugs come from `redirlint list-checks` (the registry).

_redirlint_run() {
  command "${_REDIRLINT_EXE:-redirlint}" "$@" 2>/dev/null
}

# Subcommand names, from the "Subcommands:" section of the top-level help.
_redirlint_subcommands() {
  _redirlint_run --help | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1}'
}

# Options of one subcommand (--long and -s forms).
_redirlint_options() {
  _redirlint_run "$1" --help | awk '/^Options:/ {on = 1; next} /^[A-Z]/ {on = 0} on && /^ +-/ {
      split($1, names, ","); for (i in names) print names[i] }'
}

# The allowed values of an option, when the help lists them as {a,b,c}.
_redirlint_option_values() {
  _redirlint_run "$1" --help | awk -v opt="$2" '{
      n = split($1, names, ",")
      for (i = 1; i <= n; i++) if (names[i] == opt && match($0, /\{[^}]*\}/)) {
        v = substr($0, RSTART + 1, RLENGTH - 2); gsub(",", " ", v); print v; exit } }'
}

_redirlint_checks() {
  _redirlint_run list-checks | awk '{print $1; print $2}'
}

_redirlint() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local sub="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      -*) ;;
      *) sub=${COMP_WORDS[i]}; break ;;
    esac
  done
  COMPREPLY=()
  if [[ -z $sub ]]; then
    COMPREPLY=($(compgen -W "$(_redirlint_subcommands) --help --version" -- "$cur"))
    return 0
  fi
  [[ $sub == graph && $prev == --from ]] && return 0  # a request, not a file
  case $prev in
    --select | --ignore)
      # Comma-separated lists: complete the item after the last comma.
      local head="" item=$cur
      [[ $cur == *,* ]] && head=${cur%,*}, item=${cur##*,}
      COMPREPLY=($(compgen -P "$head" -W "$(_redirlint_checks)" -- "$item")); return 0 ;;
    --htaccess-dir)
      return 0 ;;  # a URL path, not a local one
    -o | --config | --urls)
      COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
    --*)
      local values
      values=$(_redirlint_option_values "$sub" "$prev")
      if [[ -n $values ]]; then
        COMPREPLY=($(compgen -W "$values" -- "$cur")); return 0
      fi ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_redirlint_options "$sub")" -- "$cur"))
    return 0
  fi
  case $sub in
    explain) COMPREPLY=($(compgen -W "$(_redirlint_checks)" -- "$cur")) ;;
    lsp | list-checks) ;;
    *) COMPREPLY=($(compgen -f -- "$cur")) ;;
  esac
  return 0
}

complete -o filenames -o bashdefault -F _redirlint redirlint
