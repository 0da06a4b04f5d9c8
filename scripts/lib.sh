# Shared shell functions of ./fleetgate. Sourced, not run.
# shellcheck shell=bash

FG_VERSION=0.1.0-SNAPSHOT
CORE_TGZ="$ROOT/features/core/target/fleetgate-core-$FG_VERSION.tar.gz"
AGENT_TGZ="$ROOT/features/agent/target/fleetgate-agent-$FG_VERSION.tar.gz"

log() { printf '\033[1m[fleetgate]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[fleetgate] %s\033[0m\n' "$*" >&2; exit 1; }

# Runs as root or through sudo.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=
apt_install() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} (Debian packages)"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_build_tools() {
  command -v javac >/dev/null 2>&1 && javac -version 2>&1 | grep -q ' 17' || apt_install openjdk-17-jdk-headless
  command -v mvn >/dev/null 2>&1 || apt_install maven
  command -v curl >/dev/null 2>&1 || apt_install curl
  # web/ is built with the machine's Node and npm (Debian's nodejs ships without npm).
  command -v node >/dev/null 2>&1 || apt_install nodejs
  command -v npm >/dev/null 2>&1 || apt_install npm
}

# Starts the local PostgreSQL cluster when it is not running; sets FG_PG_STARTED=1 if we started it.
ensure_postgres() {
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql
  local ver
  ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $4}' | grep -q online; then
    pg_lsclusters -h 2>/dev/null | grep -q . || as_root pg_createcluster "$ver" main >/dev/null
    log "starting PostgreSQL $ver"
    as_root pg_ctlcluster "$ver" main start
    FG_PG_STARTED=1
  fi
  local i
  for i in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 0.5; done
  die "PostgreSQL did not become ready on 127.0.0.1:5432"
}

psql_admin() { as_root su postgres -c "psql -v ON_ERROR_STOP=1 -qtA $(printf '%q ' "$@")"; }

# ensure_pg_role NAME PASSWORD [ATTRS]: creates or updates a login role.
ensure_pg_role() {
  local name=$1 pw=$2 attrs=${3:-}
  if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname='$name'")" = 1 ]; then
    psql_admin -c "ALTER ROLE $name LOGIN $attrs PASSWORD '$pw'"
  else
    psql_admin -c "CREATE ROLE $name LOGIN $attrs PASSWORD '$pw'"
  fi
}

ensure_pg_database() {
  local name=$1 owner=$2
  [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname='$name'")" = 1 ] || psql_admin -c "CREATE DATABASE $name OWNER $owner"
}

# The Docker engine without a bridge: containers use host networking on loopback (see CONTRIBUTING.md).
ensure_docker() {
  if ! command -v dockerd >/dev/null 2>&1; then
    as_root mkdir -p /etc/docker
    [ -f /etc/docker/daemon.json ] || echo '{"bridge":"none","iptables":false,"ip6tables":false,"ip-forward":false,"ip-masq":false,"userland-proxy":false}' | as_root tee /etc/docker/daemon.json >/dev/null
    apt_install docker.io
  fi
  docker version >/dev/null 2>&1 && return 0
  log "starting the Docker engine"
  FG_DOCKER_STARTED=1
  mkdir -p "$FG_HOME/logs"
  as_root sh -c "setsid dockerd --host unix:///var/run/docker.sock >>'$FG_HOME/logs/dockerd.log' 2>&1 & echo \$! > '$FG_HOME/dockerd.pid'"
  local i
  for i in $(seq 1 100); do docker version >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "the Docker engine did not start (see $FG_HOME/logs/dockerd.log)"
}

# What the integration and browser tests drive besides PostgreSQL, nginx and Docker.
ensure_test_tools() {
  apt_install bind9 bind9-dnsutils busybox-static chromium pebble
}

# Builds the demo application image when it is missing or out of date.
ensure_demo_image() {
  if [ -x "$ROOT/scripts/demo-image.sh" ]; then "$ROOT/scripts/demo-image.sh" || die "building the demo image failed"; fi
}

ensure_nginx() {
  apt_install nginx-light libnginx-mod-http-lua libnginx-mod-http-ndk lua-resty-core lua-cjson
  # Debian's package starts a system nginx on port 80 where policy allows; Fleetgate runs its own instance.
}

# Builds the distributions when they are missing or older than the sources (or always with "force").
fg_build() {
  ensure_build_tools
  if [ "${1:-}" != force ] && [ -f "$CORE_TGZ" ] && [ -f "$AGENT_TGZ" ] \
     && [ -z "$(find "$ROOT/pom.xml" "$ROOT/platform" "$ROOT/bundles" "$ROOT/agent-bundle" "$ROOT/features" "$ROOT/docs" \
               -newer "$CORE_TGZ" -type f -not -path '*/target/*' -print -quit)" ]; then
    return 0
  fi
  log "building (mvn install, tests skipped; the first build downloads dependencies)"
  (cd "$ROOT" && mvn -B -q -DskipTests install) || die "build failed"
}
