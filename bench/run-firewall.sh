#!/usr/bin/env bash
# Firewall detectors (issue 16): precision/recall on generated labelled logs, replay and live lines/s per core,
# memory with 1M distinct clients (prints figures).
#   bench/run-firewall.sh [--seeds 1,2,3,4,5] [--scale 1] [--rounds 5] [--skip-quality] [--skip-throughput]
# Decision → enforced on ALL agents (a core and three agents with real nginx on 127.0.0.2/.3/.4, 20 REST blocks,
# p50/p99; runs FirewallFleetE2EIT, needs PostgreSQL as the e2e tests do and a built distribution):
#   bench/run-firewall.sh --fleet
# MAVEN_ARGS (e.g. -Dmaven.repo.local=...) is passed to every mvn call.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [[ "${1:-}" == "--fleet" ]]; then
  cd "$ROOT"
  rm -rf features/itests/target/dist features/itests/target/dependency-maven-plugin-markers
  mvn -o -B ${MAVEN_ARGS:-} install -pl features/itests -Dit.test=FirewallFleetE2EIT -Dtest=none \
    -Dsurefire.failIfNoSpecifiedTests=false | tee /tmp/firewall-fleet-$$.log | grep -E "FIREWALL-FLEET|Tests run:|BUILD"
  exit "${PIPESTATUS[0]}"
fi
(cd "$ROOT" && mvn -q -o -B ${MAVEN_ARGS:-} install -pl bundles/firewall-detect -DskipTests \
  && mvn -q -o -B ${MAVEN_ARGS:-} package -pl bench -DskipTests)
exec java -Xmx1g -cp "$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")" \
  dev.fleetgate.bench.FirewallBench "$@"
