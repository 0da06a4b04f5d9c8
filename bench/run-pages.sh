#!/usr/bin/env bash
# The pages module's figures (PagesBench): page change -> served on the agent (p50/p99) and failed requests during
# maintenance switches under load, through a core and an agent with nginx that it starts itself (the distribution
# unpacked by an e2e build of features/itests, one fresh test database, ports 22540-22559 by default).
#   bench/run-pages.sh [--ports 22540] [--changes 50] [--clients 8] [--switches 10]
# Needs FLEETGATE_TEST_PG_* (see CONTRIBUTING.md); MAVEN_REPO_LOCAL selects the Maven repository.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$ROOT/bench/target/pages
M2=${MAVEN_REPO_LOCAL:+-Dmaven.repo.local=$MAVEN_REPO_LOCAL}
[ -d "$ROOT/features/itests/target/dist/core" ] && [ -d "$ROOT/features/itests/target/test-classes" ] || {
  echo "no distribution: build features/itests first (bench/README.md)" >&2; exit 1; }
mkdir -p "$DIR"
(cd "$ROOT" && mvn -q -o -B $M2 dependency:build-classpath -pl features/itests -Dmdep.includeScope=test \
  -Dmdep.outputFile="$DIR/classpath.txt")
cd "$ROOT/features/itests"
exec java -Dfleetgate.dist="$ROOT/features/itests/target/dist" -Dfleetgate.root="$ROOT" \
  -cp "target/test-classes:$(cat "$DIR/classpath.txt")" dev.fleetgate.itests.PagesBench "$@"
