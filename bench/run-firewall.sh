#!/usr/bin/env bash
# Firewall detectors (issue 16): precision/recall on generated labelled logs, replay and live lines/s per core,
# memory with 1M distinct clients (prints figures).
#   bench/run-firewall.sh [--seeds 1,2,3,4,5] [--scale 1] [--rounds 5] [--skip-quality] [--skip-throughput]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
(cd "$ROOT" && mvn -q -o -B install -pl bundles/firewall-detect -DskipTests && mvn -q -o -B package -pl bench -DskipTests)
exec java -Xmx1g -cp "$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")" \
  dev.fleetgate.bench.FirewallBench "$@"
