#!/usr/bin/env bash
# Starts the built Hookline on free loopback ports with a temporary database, runs the compatibility
# scripts against it, and stops it.
source "$(dirname "$0")/../lib.sh"
WORK=$(mktemp -d)
PORT=$(free_port)
ADMIN_PORT=$(free_port)
KEY="compat-$RANDOM-$RANDOM-admin-key"
install_plugins "$WORK/plugins"
HOOKLINE_PORT=$PORT HOOKLINE_ADMIN_PORT=$ADMIN_PORT HOOKLINE_DB="$WORK/compat.db" HOOKLINE_ADMIN_KEY=$KEY \
  HOOKLINE_BIND=127.0.0.1 HOOKLINE_PLUGINS_DIR="$WORK/plugins" HOOKLINE_ALLOWED_NETWORKS=127.0.0.0/8 \
  HOOKLINE_MIN_INTERVAL_MS=200 java "${JAVA_OPTS[@]}" -jar "$JAR" server "$ROOT/config.yml" > "$WORK/server.log" 2>&1 &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
if ! wait_http "http://127.0.0.1:$ADMIN_PORT/healthcheck" 60; then
  cat "$WORK/server.log" >&2
  exit 1
fi
status=0
HOOKLINE_URL="http://127.0.0.1:$PORT" HOOKLINE_ADMIN_KEY=$KEY "$ROOT/scripts/compat/run.sh" || status=$?
if [[ $status -ne 0 ]]; then
  echo "--- server log ---" >&2
  tail -50 "$WORK/server.log" >&2
fi
exit $status
