# ./fleetgate test: the whole suite, as CI runs it. Sourced by ./fleetgate.
# shellcheck shell=bash

fg_test() {
  local t0=$SECONDS rc=0
  FG_HOME=$(mkdir -p "${FLEETGATE_HOME:-$ROOT/run}" && cd "${FLEETGATE_HOME:-$ROOT/run}" && pwd)
  ensure_build_tools
  ensure_postgres
  ensure_pg_role fleetgate_test fleetgate_test CREATEDB
  ensure_nginx
  ensure_test_tools
  ensure_docker
  ensure_demo_image
  export FLEETGATE_TEST_PG_HOST=127.0.0.1 FLEETGATE_TEST_PG_PORT=5432
  export FLEETGATE_TEST_PG_USER=fleetgate_test FLEETGATE_TEST_PG_PASSWORD=fleetgate_test
  # install, not verify: bench/ and later `-pl` runs take the modules from the local Maven repository.
  # -T 2: two modules at once where the graph allows (the tests mostly wait on PostgreSQL, nginx, Docker
  # and timers; the end-to-end module still runs alone at the end): about 2 minutes less than one by one.
  (cd "$ROOT" && mvn -B -ntp -T 2 install "$@") || rc=$?
  if [ "${FG_DOCKER_STARTED:-}" = 1 ] && [ -f "$FG_HOME/dockerd.pid" ]; then
    as_root kill "$(cat "$FG_HOME/dockerd.pid")" 2>/dev/null || true
    rm -f "$FG_HOME/dockerd.pid"
  fi
  if [ "${FG_PG_STARTED:-}" = 1 ]; then
    as_root pg_ctlcluster "$(ls /usr/lib/postgresql | sort -V | tail -1)" main stop || true
  fi
  log "tests finished in $((SECONDS - t0)) s with exit code $rc"
  return $rc
}
