#!/usr/bin/env bash
# Metrics ingestion and query benchmark through a live core over HTTP (prints figures).
#   bench/run-cores.sh start 1
#   . bench/target/cores/cores.env
#   bench/run-metrics.sh --core "${CORE_URLS%%,*}" --core-pid "${CORE_PIDS%%,*}" --core-home "${CORE_HOMES%%,*}" \
#     --password "$CORE_PASSWORD" --db-url "$DB_URL" --db-user "$DB_USER" --db-password "$DB_PASSWORD" \
#     [--seconds 15] [--threads 2] [--ingest-warmup 5] [--shapes 1000x100,500x6,100x1] [--skip-ingest] [--skip-query] [--extra-series 99000] [--query-hours 24]
#   bench/run-cores.sh stop
# Without --core the variables of bench/target/cores/cores.env are taken when that file exists.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
M2=${MAVEN_REPO_LOCAL:+-Dmaven.repo.local=$MAVEN_REPO_LOCAL}
ARGS=("$@")
if [[ " $* " != *" --core "* ]] && [ -f "$ROOT/bench/target/cores/cores.env" ]; then
  # shellcheck disable=SC1091
  . "$ROOT/bench/target/cores/cores.env"
  ARGS=(--core "${CORE_URLS%%,*}" --core-pid "${CORE_PIDS%%,*}" --core-home "${CORE_HOMES%%,*}"
    --password "$CORE_PASSWORD" --db-url "$DB_URL" --db-user "$DB_USER" --db-password "$DB_PASSWORD" "$@")
fi
(cd "$ROOT" && mvn -q -o -B $M2 package -pl bench -DskipTests)
exec java -Xmx2g -cp "$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn dev.fleetgate.bench.MetricsBench "${ARGS[@]}"
