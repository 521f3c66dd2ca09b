# fish completion for redirlint.
#   copy to ~/.config/fish/completions/ (installed: share/fish/vendor_completions.d/redirlint.fish)
# Subcommands and options come from `redirlint --help`, check codes from `redirlint list-checks`, so they
# never drift from the binary.

function __redirlint_subcommands
    command redirlint --help 2>/dev/null | awk '/^Subcommands:/ {on = 1; next}
        on && /^  [a-z]/ {name = $1; $1 = ""; sub(/^ +/, ""); print name "\t" $0}'
end

function __redirlint_options
    set -l sub (commandline -opc)[2]
    command redirlint $sub --help 2>/dev/null | awk '/^Options:/ {on = 1; next} /^[A-Z]/ {on = 0}
        on && /^ +--/ {split($1, names, ","); for (i in names) if (names[i] ~ /^--/) print names[i]}'
end

# The values of the option just typed, when its help lists them as {a,b,c}; fails (files are offered) otherwise.
function __redirlint_values
    set -l tokens (commandline -opc)
    string match -q -- '--*' $tokens[-1]; or return 1
    set -l values (command redirlint $tokens[2] --help 2>/dev/null | awk -v opt=$tokens[-1] '{
        n = split($1, names, ","); for (i = 1; i <= n; i++) if (names[i] == opt && match($0, /\{[^}]*\}/)) {
          v = substr($0, RSTART + 1, RLENGTH - 2); gsub(",", "\n", v); print v; exit } }')
    test -n "$values"; or return 1
    printf '%s\n' $values
end

function __redirlint_checks
    command redirlint list-checks 2>/dev/null | awk '{print $1 "\t" $2}'
end

complete -c redirlint -f
complete -c redirlint -n __fish_use_subcommand -a '(__redirlint_subcommands)'
complete -c redirlint -n 'not __fish_use_subcommand; and not __redirlint_values >/dev/null' -a '(__redirlint_options)'
complete -c redirlint -n 'not __fish_use_subcommand; and __redirlint_values >/dev/null' -a '(__redirlint_values)'
complete -c redirlint -n '__fish_seen_subcommand_from explain' -a '(__redirlint_checks)'
complete -c redirlint -n 'not __fish_use_subcommand; and __fish_prev_arg_in --select --ignore' -a '(__redirlint_checks)'
complete -c redirlint -n 'not __fish_use_subcommand; and not __redirlint_values >/dev/null' -F
