#!/usr/bin/env bash
# Starts N cores of the built distribution (features/itests/target/dist, unpacked by an e2e build)
# on one fresh test database, for the benchmarks; stops them again.
#   bench/run-cores.sh start [N=1] [BASE_PORT=21500]   waits until ready, then prints the env file
#   bench/run-cores.sh stop
# The env file (bench/target/cores/cores.env) holds CORE_URLS, CORE_PIDS (JVMs), CORE_PASSWORD,
# DB_URL, DB_USER, DB_PASSWORD. Each core takes 5 consecutive ports from BASE_PORT + 5 × i.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$ROOT/bench/target/cores
M2=${MAVEN_REPO_LOCAL:+-Dmaven.repo.local=$MAVEN_REPO_LOCAL}
case "${1:-}" in
start)
  n=${2:-1}; base=${3:-21500}
  [ -d "$ROOT/features/itests/target/dist/core" ] && [ -d "$ROOT/features/itests/target/test-classes" ] || {
    echo "no distribution: build features/itests first (bench/README.md)" >&2; exit 1; }
  mkdir -p "$DIR"; rm -f "$DIR/cores.env" "$DIR/in"
  (cd "$ROOT" && mvn -q -o -B $M2 dependency:build-classpath -pl features/itests -Dmdep.includeScope=test \
    -Dmdep.outputFile="$DIR/classpath.txt")
  mkfifo "$DIR/in"
  (cd "$ROOT/features/itests" && exec java -Dfleetgate.dist="$ROOT/features/itests/target/dist" \
    -cp "target/test-classes:$(cat "$DIR/classpath.txt")" dev.fleetgate.itests.BenchCores \
    --cores "$n" --ports "$base" --interval "${SYNC_INTERVAL:-5}" --out "$DIR/cores.env" <"$DIR/in" >"$DIR/cores.log" 2>&1) &
  echo $! > "$DIR/java.pid"
  sleep infinity > "$DIR/in" &
  echo $! > "$DIR/holder.pid"
  for _ in $(seq 1 600); do
    [ -f "$DIR/cores.env" ] && { cat "$DIR/cores.env"; exit 0; }
    kill -0 "$(cat "$DIR/java.pid")" 2>/dev/null || { echo "BenchCores exited; see $DIR/cores.log" >&2; exit 1; }
    sleep 1
  done
  echo "cores not ready within 600 s; see $DIR/cores.log" >&2; exit 1 ;;
stop)
  [ -f "$DIR/holder.pid" ] && kill "$(cat "$DIR/holder.pid")" 2>/dev/null || true
  if [ -f "$DIR/java.pid" ]; then
    for _ in $(seq 1 90); do kill -0 "$(cat "$DIR/java.pid")" 2>/dev/null || break; sleep 1; done
  fi
  rm -f "$DIR/holder.pid" "$DIR/java.pid" "$DIR/in" "$DIR/cores.env"; echo stopped ;;
*) echo "usage: $0 start [N] [BASE_PORT] | stop" >&2; exit 2 ;;
esac
