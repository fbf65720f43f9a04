#!/usr/bin/env bash
# Runs the compatibility scripts against a Hookline of their own (see scripts/with-server.sh).
exec "$(dirname "$0")/../with-server.sh" "$(dirname "$0")/run.sh"
