#!/usr/bin/env bash
# Starts the built Hookline on free loopback ports with a temporary database, runs a command against it, and stops it.
#   scripts/with-server.sh COMMAND [ARGS...]
# The command sees HOOKLINE_URL (API), HOOKLINE_ADMIN_URL (admin port) and HOOKLINE_ADMIN_KEY. The server allows
# loopback webhook targets and a short minimum interval; other HOOKLINE_* settings pass through from the environment.
source "$(dirname "$0")/lib.sh"
WORK=$(mktemp -d)
PORT=$(free_port)
ADMIN_PORT=$(free_port)
KEY="test-$RANDOM-$RANDOM-admin-key"
install_plugins "$WORK/plugins"
HOOKLINE_PORT=$PORT HOOKLINE_ADMIN_PORT=$ADMIN_PORT HOOKLINE_DB="$WORK/test.db" HOOKLINE_ADMIN_KEY=$KEY \
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
HOOKLINE_URL="http://127.0.0.1:$PORT" HOOKLINE_ADMIN_URL="http://127.0.0.1:$ADMIN_PORT" HOOKLINE_ADMIN_KEY=$KEY \
  "$@" || status=$?
if [[ $status -ne 0 ]]; then
  echo "--- server log ---" >&2
  tail -50 "$WORK/server.log" >&2
fi
exit $status
