#!/bin/sh
# Called by Maven (generate-resources) to build the web UI that the jar serves at /.
# Skip with: ./mvnw ... -Dskip.ui
set -eu
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "ERROR: building the web UI needs Node.js 20+ with npm on the PATH (none found)." >&2
  echo "       Install Node.js, or build without the UI: ./mvnw package -Dskip.ui" >&2
  exit 1
fi
# npm ci only when the installed tree is older than the lock file (npm writes node_modules/.package-lock.json).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
