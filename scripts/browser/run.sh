#!/usr/bin/env bash
# Runs the browser tests (headless Chromium driven by playwright-core) against an already running Hookline:
#   HOOKLINE_URL=... HOOKLINE_ADMIN_URL=... HOOKLINE_ADMIN_KEY=... scripts/browser/run.sh [TEST_FILE...]
# Installs Debian's chromium when missing (as root), and the pinned npm packages. Screenshots go to
# test-output/browser/ at the repository's root; each test prints the paths it wrote.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT/scripts/browser"
: "${HOOKLINE_URL:?set HOOKLINE_URL, e.g. http://127.0.0.1:8080}"
: "${HOOKLINE_ADMIN_URL:?set HOOKLINE_ADMIN_URL, e.g. http://127.0.0.1:8081}"
: "${HOOKLINE_ADMIN_KEY:?set HOOKLINE_ADMIN_KEY (the adminKey of config.yml)}"
ensure_chromium
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund >&2
  touch node_modules
fi
export HOOKLINE_TEST_OUTPUT="$ROOT/test-output/browser"
mkdir -p "$HOOKLINE_TEST_OUTPUT"
if [[ $# -eq 0 ]]; then set -- *.test.js; fi
# One file at a time: each drives a browser, and the machine running the tests may have two cores.
node --test --test-concurrency=1 "$@"
