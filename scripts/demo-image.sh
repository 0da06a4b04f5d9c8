#!/usr/bin/env bash
# Builds the demo image (fleetgate/demo:latest) from demo/ when it is missing or demo/ changed.
#   scripts/demo-image.sh [--force]
# Needs a running Docker engine, gcc with a static libc (libc6-dev) and busybox-static: it
# installs the last two with apt-get when missing and run as root. No registry is used.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IMAGE=${FLEETGATE_DEMO_IMAGE:-fleetgate/demo:latest}
BUSYBOX=/bin/busybox

need_pkg() {  # need_pkg PACKAGE: install a Debian package when missing (root only)
  dpkg -s "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >/dev/null || {
      apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >/dev/null; }
  else
    echo "demo-image: package $1 is missing (apt-get install $1)" >&2; exit 1
  fi
}

command -v docker >/dev/null || { echo "demo-image: docker is not installed" >&2; exit 1; }
docker version >/dev/null 2>&1 || { echo "demo-image: the Docker engine does not answer" >&2; exit 1; }
need_pkg busybox-static
if ! command -v gcc >/dev/null || [ ! -e "$(gcc -print-file-name=libc.a)" ]; then need_pkg gcc; need_pkg libc6-dev; fi

hash=$( (cd "$ROOT/demo" && find . -type f -print0 | sort -z | xargs -0 sha256sum; sha256sum "$BUSYBOX" | cut -d' ' -f1) \
  | sha256sum | cut -c1-16)
current=$(docker image inspect -f '{{ index .Config.Labels "fleetgate.demo.hash" }}' "$IMAGE" 2>/dev/null || true)
if [ "$current" = "$hash" ] && [ "${1:-}" != "--force" ]; then
  echo "demo-image: $IMAGE is up to date ($hash)"
  exit 0
fi

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
gcc -static -O2 -Wall -D_GNU_SOURCE -pthread -o "$ctx/demo-server" "$ROOT/demo/server.c"
strip "$ctx/demo-server" 2>/dev/null || true
cp "$BUSYBOX" "$ctx/busybox"
cp "$ROOT/demo/Dockerfile" "$ctx/Dockerfile"
# host networking for the RUN steps: the engine here runs without a bridge
out=$(docker build -q --network host --label "fleetgate.demo.hash=$hash" -t "$IMAGE" "$ctx" 2>&1) || {
  echo "$out" >&2; exit 1; }
echo "demo-image: built $IMAGE ($hash)"
