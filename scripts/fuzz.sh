#!/usr/bin/env bash
# Runs every Go fuzz target in the tree for a bounded time each.
# FUZZTIME sets the time per target (default 5s, as in `make test`;
# `make fuzz` uses 2m). New inputs that fail are written by Go under the
# package's testdata/fuzz/<FuzzName>/ and then run as seeds by `go test`.
#
# Go 1.26's fuzz coordinator can end a run that found nothing with a bare
# "context deadline exceeded" when -fuzztime expires while a worker is still
# busy (go.dev/issue/75804, fixed in Go 1.27). Such a run writes no failing
# input; it is retried once. Any other failure, and any run that writes a
# failing input, fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-5s}"
targets=$(grep -rl --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]+\(f \*testing\.F\)' . | grep -v node_modules | sort || true)
if [ -z "$targets" ]; then
  echo "no fuzz targets found" >&2
  exit 1
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# deadline_only reports whether the log of a failed run shows only the
# coordinator's deadline error: no failing input written, no panic, no
# failure message from the target.
deadline_only() {
  grep -q 'context deadline exceeded' "$log" &&
    ! grep -qE 'Failing input written|panic:|_test\.go:[0-9]+:|fuzz: minimizing' "$log"
}

n=0
for file in $targets; do
  pkg="./$(dirname "${file#./}")"
  for name in $(grep -oE '^func Fuzz[A-Za-z0-9_]+' "$file" | sed 's/^func //'); do
    for try in 1 2; do
      echo "fuzz $pkg $name for $fuzztime"
      if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg" 2>&1 | tee "$log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
        break
      fi
      if [ "$try" -eq 1 ] && deadline_only; then
        echo "fuzz $pkg $name: the run ended on the coordinator's deadline with no failing input; running it again"
        continue
      fi
      echo "fuzz $pkg $name failed" >&2
      exit 1
    done
    n=$((n + 1))
  done
done
echo "fuzzed $n targets for $fuzztime each"
