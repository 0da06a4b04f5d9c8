#!/usr/bin/env bash
# The scaling module's scale-to-zero figure: first request from zero -> 200 (p50/p95 over --wakes wakes), through a
# core, an agent with nginx and the demo image that ScaleToZeroE2EIT starts itself (one fresh test database, ports
# 22600-22699): idle -> 0 replicas (no container) -> a request held by nginx while the agent starts a replica -> 200.
#   bench/run-scaling.sh [--wakes 10]
# Needs FLEETGATE_TEST_PG_* (see CONTRIBUTING.md), Docker and nginx with the lua module, and the modules installed
# (mvn install of agent-bundle/*, bundles/scaling, features/repository features/core features/agent);
# MAVEN_REPO_LOCAL selects the Maven repository. Prints the FIGURE line; the whole log stays in bench/target/scaling.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$ROOT/bench/target/scaling
WAKES=10
while [ $# -gt 0 ]; do
  case $1 in
    --wakes) WAKES=$2; shift 2 ;;
    *) echo "usage: $0 [--wakes n]" >&2; exit 2 ;;
  esac
done
M2=${MAVEN_REPO_LOCAL:+-Dmaven.repo.local=$MAVEN_REPO_LOCAL}
mkdir -p "$DIR"
cd "$ROOT"
status=0
mvn -B -o $M2 install -pl features/itests -Dit.test=ScaleToZeroE2EIT -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfleetgate.scaletozero.wakes="$WAKES" >"$DIR/run.log" 2>&1 || status=$?
grep -E "^wake [0-9]+:|FIGURE scale-to-zero" "$DIR/run.log" || true
[ $status -eq 0 ] || { echo "ScaleToZeroE2EIT failed (exit $status): see $DIR/run.log" >&2; exit $status; }
