#!/usr/bin/env bash
# A throw-away authoritative bind9 on loopback for trying the DNS module (module 3) by hand
# or from end-to-end tests. The module's own integration tests start theirs from Java.
#
#   scripts/bind9-test.sh start [DIR] [PORT] [ZONE]   start named; print the body for POST /api/v1/dns/zones
#   scripts/bind9-test.sh stop  [DIR]                 stop it and remove DIR
#   scripts/bind9-test.sh dig   NAME [TYPE] [DIR]     ask it (TCP)
#
# Defaults: DIR=${TMPDIR:-/tmp}/fleetgate-bind9, PORT=19553 (127.0.0.1 only), ZONE=example.test,
# TSIG key "fleetgate" (hmac-sha256) allowed to update the zone.
set -euo pipefail

cmd=${1:-}
DIR=${2:-${TMPDIR:-/tmp}/fleetgate-bind9}

die() { printf 'bind9-test: %s\n' "$*" >&2; exit 1; }

start() {
  local port=${3:-19553} zone=${4:-example.test}
  command -v named >/dev/null && command -v tsig-keygen >/dev/null \
    || die "bind9 is not installed: apt-get install -y bind9 bind9-dnsutils"
  [[ $port =~ ^[0-9]+$ ]] || die "PORT must be a number"
  [[ $zone =~ ^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$ ]] || die "ZONE must be a plain lower-case domain name"
  if [ -f "$DIR/named.pid" ] && kill -0 "$(cat "$DIR/named.pid")" 2>/dev/null; then
    die "already running in $DIR (pid $(cat "$DIR/named.pid")); stop it first"
  fi
  mkdir -p "$DIR"
  tsig-keygen -a hmac-sha256 fleetgate > "$DIR/fleetgate.key"
  cat > "$DIR/$zone.zone" <<ZONE
\$TTL 300
@   IN SOA ns.$zone. hostmaster.$zone. ( 1 3600 600 86400 60 )
    IN NS  ns.$zone.
ns  IN A   127.0.0.1
ZONE
  cat > "$DIR/named.conf" <<CONF
options {
  directory "$DIR";
  pid-file "$DIR/named.pid";
  session-keyfile "$DIR/session.key";
  managed-keys-directory "$DIR";
  listen-on port $port { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  notify no;
};
controls { };
include "$DIR/fleetgate.key";
zone "$zone" { type primary; file "$DIR/$zone.zone"; allow-update { key "fleetgate"; }; };
CONF
  echo "$port" > "$DIR/port"
  local as_root=()
  [ "$(id -u)" = 0 ] && as_root=(-u root) # else named would switch to user bind, who cannot write DIR
  named -c "$DIR/named.conf" "${as_root[@]}" -g > "$DIR/named.log" 2>&1 &
  for _ in $(seq 1 100); do
    if dig @127.0.0.1 -p "$port" +tcp +short +time=1 +tries=1 "ns.$zone" A 2>/dev/null | grep -q 127.0.0.1; then
      local secret
      secret=$(sed -n 's/.*secret "\(.*\)";/\1/p' "$DIR/fleetgate.key")
      printf 'bind9 for %s. on 127.0.0.1:%s (dir %s)\n' "$zone" "$port" "$DIR" >&2
      printf '{"zone": "%s.", "provider": "rfc2136", "server": "127.0.0.1", "port": %s, "tsigKeyName": "fleetgate", "tsigAlgorithm": "hmac-sha256", "tsigSecret": "%s", "ttl": 60}\n' \
        "$zone" "$port" "$secret"
      return 0
    fi
    sleep 0.1
  done
  cat "$DIR/named.log" >&2
  die "named did not answer on port $port"
}

stop() {
  if [ -f "$DIR/named.pid" ]; then
    local pid
    pid=$(cat "$DIR/named.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  case "$DIR" in */fleetgate-bind9*) rm -rf "$DIR" ;; *) echo "left $DIR in place" >&2 ;; esac
}

case "$cmd" in
  start) start "$@" ;;
  stop) stop ;;
  dig)
    name=${2:?NAME}; type=${3:-A}; DIR=${4:-${TMPDIR:-/tmp}/fleetgate-bind9}
    dig @127.0.0.1 -p "$(cat "$DIR/port")" +tcp +short "$name" "$type" ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
