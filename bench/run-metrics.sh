#!/usr/bin/env bash
# Metrics ingestion and query benchmark on a scratch PostgreSQL database (prints figures).
#   bench/run-metrics.sh [--seconds 15] [--threads 2] [--skip-ingest] [--skip-query]
#   bench/run-metrics.sh --core URL --password PW [--core-pid PID] --db-url JDBC --db-user U --db-password P  (over HTTP)
# PostgreSQL as for the tests: FLEETGATE_TEST_PG_HOST/PORT/USER/PASSWORD (default
# 127.0.0.1:5432, fleetgate_test/fleetgate_test, a role allowed to CREATE DATABASE).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
M2=${MAVEN_REPO_LOCAL:+-Dmaven.repo.local=$MAVEN_REPO_LOCAL}
(cd "$ROOT" && mvn -q -o -B $M2 install -pl bundles/metrics -DskipTests && mvn -q -o -B $M2 package -pl bench -DskipTests)
exec java -Xmx2g -cp "$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn dev.fleetgate.bench.MetricsBench "$@"
