# Shared helpers for the scripts in this folder (sourced, not run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/core/target/hookline.jar"
# JVM options of the server. The heap is bounded: left to the JVM, it grows towards a quarter of the RAM and the
# process keeps that memory (BENCHMARKS.md, footprint). Set HOOKLINE_JAVA_OPTS to replace them.
read -r -a JAVA_OPTS <<< "${HOOKLINE_JAVA_OPTS:--Xmx256m}"

# Prints a free TCP port on loopback.
free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# Builds the service jar and the bundled plugins (tests are run by scripts/test).
build() {
  (cd "$ROOT" && mvn -q -B -DskipTests install)
}

# Copies the bundled plugin jars into a plugins directory (default: plugins-installed/), replacing earlier versions
# of those same plugins only: any other jar there (an operator's own plugin) stays.
install_plugins() {
  local dir=${1:-$ROOT/plugins-installed} jar name
  mkdir -p "$dir"
  for jar in "$ROOT"/plugins/*/target/hookline-plugin-*.jar; do
    case $jar in *-sources.jar | *-javadoc.jar | *-tests.jar) continue ;; esac
    name=$(basename "$jar")
    # hookline-plugin-http-0.1.0.jar -> hookline-plugin-http-<digit>*.jar: that plugin's versions, not http-extra's
    rm -f "$dir/${name%%-[0-9]*}"-[0-9]*.jar
    cp "$jar" "$dir/"
  done
}

# Waits until an HTTP URL answers, or fails after $2 seconds.
wait_http() {
  local url=$1 secs=${2:-60} i
  for ((i = 0; i < secs * 10; i++)); do
    if node -e "fetch(process.argv[1]).then(()=>process.exit(0),()=>process.exit(1))" "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "timed out waiting for $url" >&2
  return 1
}

# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests: installs the package when missing and
# running as root; otherwise fails with one line saying what is needed.
ensure_chromium() {
  [[ -x /usr/bin/chromium ]] && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get > /dev/null; then
    echo "installing Debian's chromium for the browser tests (apt-get)" >&2
    if DEBIAN_FRONTEND=noninteractive apt-get update -qq > /dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; then
      [[ -x /usr/bin/chromium ]] && return 0
    fi
  fi
  echo "browser tests cannot run: /usr/bin/chromium is missing (install Debian's package: apt-get install chromium)" >&2
  return 1
}

# Starts a throwaway PostgreSQL server (the embedded one the tests use; its binaries come from Maven Central with
# core's test dependencies, so core must be built) with everything in folder $1, and sets PG_PID and PG_URL (a JDBC
# URL for its superuser). It runs until stop_postgres, or until this shell ends: file descriptor 3 of this shell is
# its standard input (start other background processes with 3>&- so that they do not keep it open).
start_postgres() {
  local dir=$1 i
  mkdir -p "$dir"
  (cd "$ROOT" && mvn -q -B -pl core dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$dir/classpath" > /dev/null)
  mkfifo "$dir/in"
  java -cp "$ROOT/core/target/test-classes:$(cat "$dir/classpath")" io.hookline.support.ThrowawayPostgres "$dir" \
    < "$dir/in" > "$dir/server.log" 2>&1 &
  PG_PID=$!
  exec 3> "$dir/in"
  for ((i = 0; i < 1200; i++)); do
    grep -q '^url=' "$dir/server.log" && break
    kill -0 "$PG_PID" 2> /dev/null || { cat "$dir/server.log" >&2; echo "PostgreSQL did not start" >&2; return 1; }
    sleep 0.1
  done
  PG_URL=$(sed -n 's/^url=//p' "$dir/server.log")
  [[ -n $PG_URL ]] || { echo "PostgreSQL did not start in time" >&2; return 1; }
}

# Stops the server start_postgres started (closing its standard input) and waits for it.
stop_postgres() {
  exec 3>&- 2> /dev/null || true
  if [[ -n ${PG_PID:-} ]]; then wait "$PG_PID" 2> /dev/null || true; fi
  PG_PID=
}
