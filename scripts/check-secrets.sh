#!/usr/bin/env bash
# check-secrets.sh [-v VALUES_FILE] DIR...: fails (exit 1) when a file under DIR that other users
# can read holds a secret: either its name is a known secret file, or its content contains one of
# the values listed in VALUES_FILE (one per line, lines shorter than 8 characters ignored).
# Also fails when a secret-holding directory of the core (etc/, data/, secrets/) is open to others.
# Used by `./fleetgate up` (after start) and by the end-to-end test SecretsOnDiskE2EIT.
set -euo pipefail

values=
if [ "${1:-}" = -v ]; then values=$2; shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [-v VALUES_FILE] DIR..." >&2; exit 2; }

patterns=$(mktemp)
trap 'rm -f "$patterns"' EXIT
if [ -n "$values" ]; then
  # base64 padding goes: ConfigAdmin's .config files escape '=' as '\='
  awk '{ sub(/=+$/, "") } length($0) >= 8' "$values" > "$patterns"
fi

# Known secret files, whatever their content.
secret_names='agent\.json|.*\.p12|.*\.jks|.*\.key|.*\.password|host\.key|keys\.properties|users\.properties|dev\.fleetgate\.security\.(cfg|config)|org\.ops4j\.datasource-fleetgate\.(cfg|config)|org\.ops4j\.pax\.web\.(cfg|config)'

bad=0
for dir in "$@"; do
  [ -e "$dir" ] || continue
  # files readable by "other"
  while IFS= read -r -d '' f; do
    name=${f##*/}
    if [[ "$name" =~ ^($secret_names)$ ]]; then
      echo "other-readable secret file: $f ($(stat -c %A "$f"))"; bad=1; continue
    fi
    if [ -s "$patterns" ] && grep -qaF -f "$patterns" -- "$f" 2>/dev/null; then
      echo "other-readable file holding a secret value: $f ($(stat -c %A "$f"))"; bad=1
    fi
  done < <(find "$dir" -type f -perm -o=r -print0 2>/dev/null)
  # directories of the core that hold secrets must be closed to others
  while IFS= read -r -d '' d; do
    echo "directory open to others: $d ($(stat -c %A "$d"))"; bad=1
  done < <(find "$dir" -maxdepth 2 -type d \( -name etc -o -name data -o -name secrets \) -perm /o=rwx -print0 2>/dev/null)
done
exit $bad
