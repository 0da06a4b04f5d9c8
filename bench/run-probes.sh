#!/usr/bin/env bash
# Uptime probe benchmark: the agent's http.probe handler against a local nginx (prints figures).
#   bench/run-probes.sh [--monitors 1000] [--interval 60] [--seconds 60] [--threads 2] [--port 21310]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
(cd "$ROOT" && mvn -q -o -B install -pl agent-bundle/probe -DskipTests && mvn -q -o -B package -pl bench -DskipTests)
exec java -Xmx256m -cp "$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")" \
  dev.fleetgate.bench.ProbeBench "$@"
