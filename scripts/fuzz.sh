#!/usr/bin/env bash
# Runs every Go fuzz target in the tree for a bounded time each.
# FUZZTIME sets the time per target (default 5s, as in `make test`;
# `make fuzz` uses 2m). New inputs that fail are written by Go under the
# package's testdata/fuzz/<FuzzName>/ and then run as seeds by `go test`.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-5s}"
targets=$(grep -rl --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]+\(f \*testing\.F\)' . | grep -v node_modules | sort || true)
if [ -z "$targets" ]; then
  echo "no fuzz targets found" >&2
  exit 1
fi
n=0
for file in $targets; do
  pkg="./$(dirname "${file#./}")"
  for name in $(grep -oE '^func Fuzz[A-Za-z0-9_]+' "$file" | sed 's/^func //'); do
    echo "fuzz $pkg $name for $fuzztime"
    go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg"
    n=$((n + 1))
  done
done
echo "fuzzed $n targets for $fuzztime each"
