#!/usr/bin/env bash
# Alerts benchmark on a scratch PostgreSQL database (prints figures).
#   bench/run-alerts.sh [--series 10000] [--rounds 5] [--trials 20] [--interval 5]
# PostgreSQL as for the tests: FLEETGATE_TEST_PG_HOST/PORT/USER/PASSWORD (default
# 127.0.0.1:5432, fleetgate_test/fleetgate_test, a role allowed to CREATE DATABASE).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
(cd "$ROOT" && mvn -q -o -B install -pl bundles/alerts -DskipTests && mvn -q -o -B package -pl bench -DskipTests)
exec java -Xmx1g -cp "$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn dev.fleetgate.bench.AlertsBench "$@"
