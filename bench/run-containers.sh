#!/usr/bin/env bash
# Containers benchmark on the local Docker engine (prints figures): time from a replica-count
# change to the new replica serving, and container-log fetch latency on a 100k-line log.
#   bench/run-containers.sh [iterations, default 20]
# Needs Docker; builds the demo image if missing; uses host ports 19800-19899.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mvn -q -o -B test-compile dependency:build-classpath -pl agent-bundle/docker \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
M=agent-bundle/docker
exec java -cp "$M/target/classes:$M/target/test-classes:$(cat $M/target/bench-classpath.txt)" \
  dev.fleetgate.agent.docker.internal.ContainersBench "$@"
