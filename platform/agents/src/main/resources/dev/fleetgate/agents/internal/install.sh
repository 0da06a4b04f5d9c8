#!/bin/sh
# Fleetgate agent installer, made by the core @CORE@ for one enrolment token.
#
#   curl -fsSk --pinnedpubkey @PIN@ '@CORE@/api/v1/agents/install.sh?token=TOKEN' | sudo sh
#
# -k only because the core's certificate is self-signed: --pinnedpubkey makes curl refuse any
# server whose public key is not the core's, and this script downloads with the same pin.
# It downloads the agent distribution, checks its SHA-256, unpacks it, enrols with the token and
# starts the agent. Root is used only to unpack under /opt, create the agent's user and install the
# systemd unit: the agent never runs as root unless FLEETGATE_AGENT_USER=root says so.
#
# Environment (all optional):
#   FLEETGATE_AGENT_PREFIX     where the agent is unpacked [root: /opt/fleetgate-agent, else $HOME/fleetgate-agent]
#   FLEETGATE_AGENT_STATE_DIR  identity and state [root: /var/lib/fleetgate-agent, else $HOME/.fleetgate-agent]
#   FLEETGATE_AGENT_USER       root only: the user the agent runs as [fleetgate-agent, created when missing,
#                              added to the docker group]
#   FLEETGATE_AGENT_SERVICE    systemd | background | none [systemd when root on a systemd host, else background]
#   FLEETGATE_AGENT_NAME, FLEETGATE_AGENT_ADDRESS, FLEETGATE_AGENT_ROLE  as for bin/fleetgate-agent
#   FLEETGATE_AGENT_TOKEN      the enrolment token, when this script was fetched without one
set -eu

core='@CORE@'
pin='@PIN@'
fingerprint='@FINGERPRINT@'
sha256='@SHA256@'
token='@TOKEN@'
token_name='@NAME@'

die() { echo "fleetgate-agent install: $*" >&2; exit 1; }
# q VALUE: VALUE single-quoted for a shell (the agent's configuration file is sourced)
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

token=${FLEETGATE_AGENT_TOKEN:-$token}
case "$token" in ''|*[!A-Za-z0-9_-]*) die "no valid enrolment token: create one in the web admin (Enrol a host)" ;; esac
name=${FLEETGATE_AGENT_NAME:-$token_name}
address=${FLEETGATE_AGENT_ADDRESS:-}
role=${FLEETGATE_AGENT_ROLE:-}
case "$name" in *[!A-Za-z0-9._-]*|[._-]*) die "invalid FLEETGATE_AGENT_NAME" ;; esac
case "$address" in *[!A-Za-z0-9.:_-]*) die "invalid FLEETGATE_AGENT_ADDRESS" ;; esac
case "$role" in ''|host|edge) ;; *) die "FLEETGATE_AGENT_ROLE must be host or edge" ;; esac

for tool in curl tar mktemp; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is needed"
done
if command -v sha256sum >/dev/null 2>&1; then
  sum() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
  sum() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
  die "sha256sum or shasum is needed"
fi
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then :; elif command -v java >/dev/null 2>&1; then :; else
  die "Java 17 or later is needed (e.g. apt-get install openjdk-17-jre-headless)"
fi

uid=$(id -u)
if [ "$uid" = 0 ]; then
  prefix=${FLEETGATE_AGENT_PREFIX:-/opt/fleetgate-agent}
  state=${FLEETGATE_AGENT_STATE_DIR:-/var/lib/fleetgate-agent}
  user=${FLEETGATE_AGENT_USER:-fleetgate-agent}
else
  prefix=${FLEETGATE_AGENT_PREFIX:-$HOME/fleetgate-agent}
  state=${FLEETGATE_AGENT_STATE_DIR:-$HOME/.fleetgate-agent}
  user=$(id -un)
  if [ -n "${FLEETGATE_AGENT_USER:-}" ] && [ "$FLEETGATE_AGENT_USER" != "$user" ]; then
    die "only root can install the agent for another user"
  fi
fi
for dir in "$prefix" "$state"; do
  case "$dir" in /*) ;; *) die "$dir: the prefix and the state directory must be absolute paths" ;; esac
  case "$dir" in *[!A-Za-z0-9/._-]*) die "$dir: letters, digits, '/', '.', '_' and '-' only" ;; esac
done
case "$user" in ''|-*|*[!A-Za-z0-9._-]*) die "invalid FLEETGATE_AGENT_USER" ;; esac
service=${FLEETGATE_AGENT_SERVICE:-}
if [ -z "$service" ]; then
  if [ "$uid" = 0 ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    service=systemd
  else
    service=background
  fi
fi
case "$service" in
  systemd) [ "$uid" = 0 ] || die "FLEETGATE_AGENT_SERVICE=systemd needs root" ;;
  background|none) ;;
  *) die "FLEETGATE_AGENT_SERVICE must be systemd, background or none" ;;
esac
[ ! -e "$state/agent.json" ] || die "$state/agent.json exists: this host is enrolled already (remove $state to enrol it again)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the token in a 0600 header file: never on a command line that others see in ps
(umask 077 && printf 'X-Fleetgate-Token: %s\n' "$token" > "$tmp/header")
echo "Downloading the agent from $core"
curl -fsS -k --pinnedpubkey "$pin" -H "@$tmp/header" -o "$tmp/agent.tar.gz" "$core/api/v1/agents/distribution" \
  || die "download failed (the token may be used or expired, or the core's key is not $pin)"
got=$(sum "$tmp/agent.tar.gz")
[ "$got" = "$sha256" ] || die "SHA-256 mismatch: the download is $got, the core announced $sha256"

echo "Installing in $prefix"
mkdir -p "$prefix"
rm -rf "$prefix/bin" "$prefix/lib" "$prefix/bundle"
tar -xzf "$tmp/agent.tar.gz" -C "$prefix" --strip-components=1 --no-same-owner
if [ "$uid" = 0 ] && [ "$user" != root ]; then
  if ! id -u "$user" >/dev/null 2>&1; then
    useradd --system --home-dir "$state" --no-create-home --shell /usr/sbin/nologin "$user" \
      || die "cannot create the user $user"
  fi
  # the agent manages containers through the Docker socket
  if getent group docker >/dev/null 2>&1; then usermod -a -G docker "$user"; fi
fi
(umask 077 && mkdir -p "$state")
chmod 700 "$state"
if [ "$uid" = 0 ]; then chown "$user" "$state"; fi

conf="$prefix/etc/fleetgate-agent.conf"
{
  echo "# Written by the Fleetgate install script (sourced by bin/fleetgate-agent)."
  echo "FLEETGATE_AGENT_CORE=$(q "$core")"
  echo "FLEETGATE_AGENT_CORE_FINGERPRINT=$(q "$fingerprint")"
  echo "FLEETGATE_AGENT_STATE_DIR=$(q "$state")"
  echo "export FLEETGATE_AGENT_CORE FLEETGATE_AGENT_CORE_FINGERPRINT FLEETGATE_AGENT_STATE_DIR"
  if [ -n "$name" ]; then echo "FLEETGATE_AGENT_NAME=$(q "$name"); export FLEETGATE_AGENT_NAME"; fi
  if [ -n "$address" ]; then echo "FLEETGATE_AGENT_ADDRESS=$(q "$address"); export FLEETGATE_AGENT_ADDRESS"; fi
  if [ -n "$role" ]; then echo "FLEETGATE_AGENT_ROLE=$(q "$role"); export FLEETGATE_AGENT_ROLE"; fi
} > "$conf"
chmod 644 "$conf"

if [ "$service" = none ]; then
  echo "Installed. Enrol and start it with: FLEETGATE_AGENT_TOKEN=<token> $prefix/bin/fleetgate-agent"
  exit 0
fi

if [ "$service" = systemd ]; then
  # the token reaches the first start through a root-only file, removed once the agent enrolled
  (umask 077 && printf 'FLEETGATE_AGENT_TOKEN=%s\n' "$token" > "$prefix/etc/enrol.env")
  cat > /etc/systemd/system/fleetgate-agent.service <<UNIT
[Unit]
Description=Fleetgate agent
After=network-online.target docker.service
Wants=network-online.target

[Service]
User=$user
ExecStart=$prefix/bin/fleetgate-agent
EnvironmentFile=-$prefix/etc/enrol.env
AmbientCapabilities=CAP_NET_BIND_SERVICE
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable --now fleetgate-agent.service
  stop_hint="systemctl stop fleetgate-agent"
  log_hint="journalctl -u fleetgate-agent"
else
  FLEETGATE_AGENT_TOKEN=$token
  export FLEETGATE_AGENT_TOKEN
  if [ "$uid" = 0 ] && [ "$user" != root ]; then
    set -- runuser -u "$user" -- "$prefix/bin/fleetgate-agent"
  else
    set -- "$prefix/bin/fleetgate-agent"
  fi
  if command -v setsid >/dev/null 2>&1; then set -- setsid "$@"; fi
  nohup "$@" >>"$state/agent.log" 2>&1 </dev/null &
  echo $! > "$state/agent.pid"
  unset FLEETGATE_AGENT_TOKEN
  stop_hint="kill \$(cat $state/agent.pid)"
  log_hint="$state/agent.log"
fi

echo "Waiting for the agent to enrol"
i=0
while [ ! -s "$state/agent.json" ]; do
  i=$((i + 1))
  if [ "$i" -gt 120 ]; then
    die "the agent did not enrol within 120 s (log: $log_hint)"
  fi
  if [ "$service" = background ] && ! kill -0 "$(cat "$state/agent.pid")" 2>/dev/null; then
    tail -n 20 "$state/agent.log" >&2 || true
    die "the agent stopped (log: $state/agent.log)"
  fi
  sleep 1
done
rm -f "$prefix/etc/enrol.env"
echo "Enrolled: the agent runs from $prefix as $user (state $state; log: $log_hint; stop: $stop_hint)."
