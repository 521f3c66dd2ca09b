#!/bin/bash
# End to end with the real pre-commit: `pre-commit try-repo SOURCE redirlint --all-files` in a fresh git
# repository, offline (language: system needs no download). A looping .htaccess must fail with RL202 in the
# output; a clean one must pass. usage: pre_commit.sh REDIRLINT SOURCE_DIR
set -u
exe=$(realpath "$1") src=$2
command -v pre-commit >/dev/null || { echo "SKIP: pre-commit is not installed"; exit 77; }
git -C "$src" rev-parse --git-dir >/dev/null 2>&1 || { echo "SKIP: $src is not a git checkout"; exit 77; }
git -C "$src" cat-file -e HEAD:.pre-commit-hooks.yaml 2>/dev/null || [ -n "$(git -C "$src" ls-files .pre-commit-hooks.yaml)" ] \
  || { echo "FAIL: .pre-commit-hooks.yaml is not tracked in $src (try-repo only sees tracked files)"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
ln -s "$(realpath "$exe")" "$tmp/bin/redirlint"
export PATH="$tmp/bin:$PATH" PRE_COMMIT_HOME="$tmp/cache" PRE_COMMIT_COLOR=never
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
# No network: a proxy that does not exist makes any fetch fail loudly instead of hanging.
export http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9

repo="$tmp/site"
git init -q "$repo" && cd "$repo" || exit 1

run_hook() {  # prints pre-commit's output, returns its exit code
  pre-commit try-repo "$src" redirlint --all-files 2>&1
}

printf 'Redirect 301 /x /y\nRedirect 301 /y /x\n' > .htaccess
printf 'README: not a rules file\n' > README.md
git add .htaccess README.md
out=$(run_hook); rc=$?
echo "== looping .htaccess (exit $rc)"; echo "$out"
[ $rc -ne 0 ] || { echo "FAIL: a looping .htaccess passed the hook"; exit 1; }
grep -q '^\.htaccess:1:1: error: .*\[RL202\]' <<<"$out" || { echo "FAIL: no RL202 line for .htaccess:1:1 in the hook output"; exit 1; }
grep -q '^README\.md:' <<<"$out" && { echo "FAIL: README.md was passed to redirlint"; exit 1; }

printf 'Redirect 301 /old /new\n' > .htaccess
git add .htaccess
out=$(run_hook); rc=$?
echo "== clean .htaccess (exit $rc)"; echo "$out"
[ $rc -eq 0 ] || { echo "FAIL: a clean .htaccess failed the hook"; exit 1; }
grep -q 'Passed' <<<"$out" || { echo "FAIL: pre-commit did not report Passed"; exit 1; }

# The Docker hook builds this repository's Dockerfile: only where a Docker engine answers (the client
# alone is not enough), and never with a network: it needs Debian's mirrors to build the image.
if docker info >/dev/null 2>&1; then
  printf 'Redirect 301 /x /y\nRedirect 301 /y /x\n' > .htaccess
  git add .htaccess
  out=$(pre-commit try-repo "$src" redirlint-docker --all-files 2>&1); rc=$?
  echo "== looping .htaccess, Docker hook (exit $rc)"; echo "$out"
  [ $rc -ne 0 ] && grep -q 'RL202' <<<"$out" || { echo "FAIL: the Docker hook did not report the loop"; exit 1; }
else
  echo "SKIP (part): no Docker engine here, the redirlint-docker hook was not run"
fi
echo PASS
