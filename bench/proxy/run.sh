#!/usr/bin/env bash
# Benchmarks of the agent's nginx driver (prints figures; see bench/README.md, section "Proxy driver").
#   bench/proxy/run.sh [live] [reloads] [propagation] [throughput] [phases] [size]  (default: live propagation throughput size)
# Needs nginx-light + libnginx-mod-http-lua + lua-cjson and wrk; uses ports 20630–20659 on 127.0.0.1
# (BENCH_JAVA_OPTS=-Dbench.basePort=<p> moves them to p…p+29).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }
(cd "$ROOT" && mvn -q -o -B install -pl agent-bundle/nginx -DskipTests ${BENCH_MVN_OPTS:-} \
  && mvn -q -o -B dependency:build-classpath ${BENCH_MVN_OPTS:-} -pl agent-bundle/nginx -Dmdep.outputFile=target/bench-classpath.txt)
CP="$ROOT/agent-bundle/nginx/target/classes:$(cat "$ROOT/agent-bundle/nginx/target/bench-classpath.txt")"
exec java ${BENCH_JAVA_OPTS:-} -Dbench.dir="$ROOT/bench/proxy" -cp "$CP" "$ROOT/bench/proxy/ProxyBench.java" "$@"
