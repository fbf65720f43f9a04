#!/usr/bin/env bash
# Runs the compatibility tests (pryv library; standardwebhooks verifier) against an already running Hookline server.
#   HOOKLINE_URL=http://127.0.0.1:8080 HOOKLINE_ADMIN_KEY=... scripts/compat/run.sh
set -euo pipefail
cd "$(dirname "$0")"

: "${HOOKLINE_URL:?set HOOKLINE_URL, e.g. http://127.0.0.1:8080}"
: "${HOOKLINE_ADMIN_KEY:?set HOOKLINE_ADMIN_KEY (the adminKey of config.yml)}"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund >&2
  touch node_modules
fi

status=0
node pryv-compat.js || status=1
node signed-compat.js || status=1
exit $status
