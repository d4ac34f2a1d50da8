#!/usr/bin/env bash
# Installs what Sightline needs on a fresh Debian machine with Go and Node:
# the pinned front-end libraries (always) and, with --test, Debian's Chromium
# for the browser tests and the DejaVu fonts the layout goldens
# (e2e/testdata/golden) are drawn in: fontconfig gives them to system-ui,
# sans-serif and monospace, and a machine with other fonts draws every page
# differently. It also starts Redis for the shared-cache tests
# when none answers, and loads the time zone tables into the test MariaDB
# when they are empty (convertTimezone needs them there).
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
# convertTimezone on MariaDB needs the server's time zone tables, which a
# fresh installation leaves empty; load them from the system's zoneinfo.
# A machine without MariaDB or its client tools is left as it is.
if [ "${1:-}" = "--test" ]; then
  my_addr="${SIGHTLINE_TEST_MYSQL_ADDR:-127.0.0.1:3306}"
  my=(-h "${my_addr%:*}" -P "${my_addr##*:}" -u root)
  zones=""
  if command -v mariadb >/dev/null 2>&1; then
    zones="$(mariadb "${my[@]}" -N -B -e 'SELECT COUNT(*) FROM mysql.time_zone_name' 2>/dev/null || true)"
  fi
  if [ "$zones" = "0" ]; then
    if command -v mariadb-tzinfo-to-sql >/dev/null 2>&1 && [ -d /usr/share/zoneinfo ]; then
      echo "loading the time zone tables into MariaDB at $my_addr"
      # The zoneinfo directory holds a few files that are not zones
      # (leap-seconds.list, tzdata.zi, ...), which the tool skips with a warning.
      if ! { mariadb-tzinfo-to-sql /usr/share/zoneinfo 2> >(grep -v "^Warning: Unable to load .* Skipping it\.\?$" >&2) |
        mariadb "${my[@]}" mysql; }; then
        echo "could not load the time zone tables: convertTimezone will be refused on this MariaDB" >&2
      fi
    else
      echo "mariadb-tzinfo-to-sql or /usr/share/zoneinfo is missing: convertTimezone will be refused on this MariaDB" >&2
    fi
  fi
fi
./scripts/assets.sh
