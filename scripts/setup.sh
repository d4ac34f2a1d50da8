#!/usr/bin/env bash
# Installs what Sightline needs on a fresh Debian machine with Go and Node:
# the pinned front-end libraries (always) and, with --test, Debian's Chromium
# for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: run 'sudo apt-get install -y chromium' for the browser tests" >&2
  fi
fi
./scripts/assets.sh
