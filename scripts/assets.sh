#!/usr/bin/env bash
# Installs the pinned front-end libraries (package-lock.json) and copies the
# files the server embeds into internal/web/static/vendor.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/htmx.org ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
out=internal/web/static/vendor
mkdir -p "$out"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx.min.js"
cp node_modules/echarts/dist/echarts.min.js "$out/echarts.min.js"
cp node_modules/gridstack/dist/gridstack-all.js "$out/gridstack-all.js"
cp node_modules/gridstack/dist/gridstack.min.css "$out/gridstack.min.css"
