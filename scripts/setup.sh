#!/usr/bin/env bash
# Installs what Sightline needs on a fresh Debian machine with Go and Node:
# the pinned front-end libraries (always) and, with --test, Debian's Chromium
# for the browser tests and the DejaVu fonts the layout goldens
# (e2e/testdata/golden) are drawn in: fontconfig gives them to system-ui,
# sans-serif and monospace, and a machine with other fonts draws every page
# differently.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--test" ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q "install ok installed" || missing+=(fonts-dejavu-core)
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = "0" ]; then
      echo "installing ${missing[*]} for the browser tests"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "${missing[*]} missing: run 'sudo apt-get install -y ${missing[*]}' for the browser tests" >&2
    fi
  fi
fi
./scripts/assets.sh
