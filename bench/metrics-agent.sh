#!/usr/bin/env bash
# Agent CPU and RSS with N tiny containers at the default 10 s metrics interval.
#   bench/metrics-agent.sh [--containers 50] [--seconds 120] [--warmup 30]
# Needs: the agent distribution built (mvn -q install -pl ...,features/agent), a running Docker
# engine, busybox-static (the image is built locally), python3. Ports: 20110 (fake core),
# 20111-20113 (the agent's nginx, should the distribution's nginx driver start it).
# Prints: agent CPU (% of one core) and RSS, series per batch, and the cost of listing
# containers through the Docker API versus listing cgroup directories.
set -euo pipefail
containers=50 seconds=120 warmup=30 port=20110
while [ $# -gt 0 ]; do
  case "$1" in
    --containers) containers="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "$0")/.." && pwd)"
tarball="$(ls "$root"/features/agent/target/fleetgate-agent-*.tar.gz 2>/dev/null | head -1)"
[ -n "$tarball" ] || { echo "build the agent distribution first (features/agent)" >&2; exit 1; }
docker version >/dev/null 2>&1 || { echo "Docker engine not running" >&2; exit 1; }
label=fleetgate.test=metrics-bench image=fleetgate-metrics-test/busybox:latest
work="$(mktemp -d /tmp/fg-metrics-bench.XXXXXX)"
core_pid="" agent_pid=""
cleanup() {
  if [ -n "$agent_pid" ]; then
    kill "$agent_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$agent_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  # the nginx driver leaves its nginx serving when the agent stops: stop the one it started here
  [ -f "$work/state/nginx/conf/nginx.conf" ] && nginx -c "$work/state/nginx/conf/nginx.conf" -s quit 2>/dev/null || true
  [ -n "$core_pid" ] && kill "$core_pid" 2>/dev/null || true
  ids="$(docker ps -aq --filter "label=$label")"
  [ -n "$ids" ] && docker rm -f $ids >/dev/null || true
  sleep 0.5
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$(docker images -q "$image")" ]; then
  cp /bin/busybox "$work/busybox"
  printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox","--install","-s","/bin"]\n' > "$work/Dockerfile"
  docker build -q --label fleetgate.test=metrics -t "$image" "$work" >/dev/null
fi
echo "starting $containers containers..."
for i in $(seq 1 "$containers"); do
  docker run -d --init --network host --label "$label" --label "fleetgate.service=bench-$((i % 5))" \
    --name "fgm-bench-$i" "$image" sh -c 'while true; do sleep 5; done' >/dev/null
done

# Container listing: one Docker API call vs. listing cgroup directories (names still need the API).
python3 - "$containers" <<'PY'
import socket, time, os, sys, glob
def api():
    s = socket.socket(socket.AF_UNIX); s.connect('/var/run/docker.sock')
    s.sendall(b'GET /containers/json HTTP/1.0\r\nHost: d\r\n\r\n'); n = 0
    while True:
        b = s.recv(65536)
        if not b: break
        n += len(b)
    s.close(); return n
def cg():
    return len(glob.glob('/sys/fs/cgroup/cpuacct/docker/*/cpuacct.usage') or glob.glob('/sys/fs/cgroup/system.slice/docker-*.scope'))
for f, name in ((api, 'Docker API /containers/json'), (cg, 'cgroup directory listing')):
    f(); t = time.perf_counter(); r = [f() for _ in range(50)]; ms = (time.perf_counter() - t) / 50 * 1000
    print('%-30s %6.2f ms per call (%s)' % (name, ms, ('%d bytes' % r[0]) if name.startswith('Docker') else ('%d dirs' % r[0])))
PY

python3 "$root/bench/metrics/fake-core.py" "$port" "$work/batches.log" 2>"$work/core.err" & core_pid=$!
tar xzf "$tarball" -C "$work"
mkdir -m 700 "$work/state"
printf '{"core":"http://127.0.0.1:%s","agentId":"00000000-0000-4000-8000-0000000000b1","apiKey":"fga_%s","name":"bench"}' \
  "$port" "$(printf 'k%.0s' $(seq 1 43))" > "$work/state/agent.json"
chmod 600 "$work/state/agent.json"
FLEETGATE_PROXY_HTTP_PORT=20111 FLEETGATE_PROXY_HTTPS_PORT=20112 FLEETGATE_PROXY_ADMIN_PORT=20113 \
FLEETGATE_PROXY_LISTEN_ADDRESS=127.0.0.1 "$work/fleetgate-agent/bin/fleetgate-agent" --core "http://127.0.0.1:$port" --state-dir "$work/state" > "$work/agent.log" 2>&1 &
agent_pid=$!
echo "agent pid $agent_pid; warming up ${warmup}s..."
sleep "$warmup"
ticks() { awk '{print $14 + $15}' "/proc/$agent_pid/stat"; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$agent_pid/status"; }
hz=$(getconf CLK_TCK)
t0=$(date +%s.%N) c0=$(ticks) max_rss=0 sum_rss=0 n=0
: > "$work/batches.log"
end=$(( $(date +%s) + seconds ))
while [ "$(date +%s)" -lt "$end" ]; do
  r=$(rss_kb); sum_rss=$((sum_rss + r)); n=$((n + 1)); [ "$r" -gt "$max_rss" ] && max_rss=$r
  sleep 1
done
t1=$(date +%s.%N) c1=$(ticks)
awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v hz="$hz" -v max="$max_rss" -v sum="$sum_rss" -v n="$n" -v k="$containers" 'BEGIN {
  printf "agent with %d containers, 10 s interval, %.0f s: CPU %.2f %% of one core, RSS avg %.1f MB, max %.1f MB\n",
    k, t1 - t0, 100 * (c1 - c0) / hz / (t1 - t0), sum / n / 1024, max / 1024 }'
awk '{s += $2; p += $3; b++} END { if (b) printf "batches %d, series per batch %.0f, points per batch %.0f\n", b, s / b, p / b }' "$work/batches.log"
echo "agent log warnings and errors:"; grep -E "WARN|ERROR" "$work/agent.log" | head -5 || true
