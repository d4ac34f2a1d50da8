#!/usr/bin/env bash
# Installs what Sightline needs on a fresh Debian machine with Go and Node:
# the pinned front-end libraries (always) and, with --test, Debian's Chromium
# for the browser tests and the DejaVu fonts the layout goldens
# (e2e/testdata/golden) are drawn in: fontconfig gives them to system-ui,
# sans-serif and monospace, and a machine with other fonts draws every page
# differently. It also starts Redis for the shared-cache tests
# when none answers.
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
# The shared-cache tests need Redis at 127.0.0.1:6379 (or SIGHTLINE_TEST_REDIS_URL).
redis_answers() {
  command -v redis-cli >/dev/null 2>&1 && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]
}
if [ "${1:-}" = "--test" ] && [ -z "${SIGHTLINE_TEST_REDIS_URL:-}" ] && ! redis_answers; then
  if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ]; then
      echo "installing Debian's redis-server for the shared-cache tests"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    else
      echo "redis-server is missing: run 'sudo apt-get install -y redis-server' for the shared-cache tests" >&2
    fi
  fi
  if command -v redis-server >/dev/null 2>&1; then
    echo "starting redis-server on 127.0.0.1:6379"
    redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no >/dev/null
    for _ in $(seq 50); do redis_answers && break; sleep 0.1; done
  fi
fi
./scripts/assets.sh
