#!/usr/bin/env bash
# Sync-protocol benchmark against the core started by ./fleetgate up (prints figures).
#   bench/run-sync.sh [--agents 2000] [--interval 5] [--seconds 60] [--tasks 200] [--series 0] [--metrics-batch true]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HOME_DIR=${FLEETGATE_HOME:-$ROOT/run}
PW=${FLEETGATE_ADMIN_PASSWORD:?set FLEETGATE_ADMIN_PASSWORD to the admin password}
M2=${MAVEN_REPO_LOCAL:+-Dmaven.repo.local=$MAVEN_REPO_LOCAL}
(cd "$ROOT" && mvn -q -o -B $M2 package -pl bench -DskipTests)
pid=$(pgrep -f 'org.apache.karaf.main.Main' | head -1 || true)
exec java -cp "$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")" dev.fleetgate.bench.SyncBench \
  --core "http://127.0.0.1:${FLEETGATE_HTTP_PORT:-8080}" --password "$PW" ${pid:+--core-pid "$pid"} \
  --db-url "jdbc:postgresql://127.0.0.1:5432/fleetgate" --db-user fleetgate --db-password "$(cat "$HOME_DIR/secrets/db.password")" "$@"
