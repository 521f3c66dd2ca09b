#!/usr/bin/env bash
# Installs the Debian packages redirlint needs, only those that are missing (DESIGN.md §8).
set -euo pipefail
pkgs=(build-essential cmake pkg-config tao-pegtl-dev libcli11-dev libyaml-cpp-dev libyaml-dev doctest-dev
      libpcre2-dev nlohmann-json3-dev libaugeas-dev libtomlplusplus-dev libxml2-dev zlib1g-dev apache2 nginx-light curl python3 graphviz pre-commit git clang lld zsh fish)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nginx: any flavour will do.
if [[ " ${missing[*]} " == *" nginx-light "* ]] && command -v nginx >/dev/null 2>&1; then
  missing=("${missing[@]/nginx-light}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # Never start the distro's services: the tests run their own throw-away instances.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The SARIF 2.1.0 JSON schema for tests/integrations/sarif_schema.py (Microsoft's SARIF SDK ships it in
# @microsoft/jest-sarif). Optional: without npm, or offline, that test skips.
if command -v npm >/dev/null 2>&1 && [ ! -f "$(npm root -g 2>/dev/null)/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json" ]; then
  npm install -g --no-fund --no-audit @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null 2>&1 ||
    echo "note: npm could not install @microsoft/jest-sarif; the SARIF schema test will skip"
fi
