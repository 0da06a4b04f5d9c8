# ./fleetgate up | down | status. Sourced by ./fleetgate.
# shellcheck shell=bash

FG_HOME=$(umask 077 && mkdir -p "${FLEETGATE_HOME:-$ROOT/run}" && cd "${FLEETGATE_HOME:-$ROOT/run}" && pwd)
HTTP_PORT=${FLEETGATE_HTTP_PORT:-8080}
HTTP_BIND=${FLEETGATE_HTTP_BIND:-127.0.0.1}   # plain HTTP: loopback only unless asked (docs/security.md)
HTTPS_PORT=${FLEETGATE_HTTPS_PORT:-8443}
HTTPS_BIND=${FLEETGATE_HTTPS_BIND:-0.0.0.0}
SSH_PORT=${FLEETGATE_SSH_PORT:-8101}
case "$HTTP_BIND" in 0.0.0.0|127.0.0.1|'') CORE_URL="http://127.0.0.1:$HTTP_PORT" ;; *) CORE_URL="http://$HTTP_BIND:$HTTP_PORT" ;; esac
SECRETS="$FG_HOME/secrets"
# The HTTPS key store lives with the secrets, so that reinstalling the core keeps the certificate agents pinned.
TLS_KEYSTORE=${FLEETGATE_TLS_KEYSTORE:-$SECRETS/tls.p12}

secret() { # secret NAME [BYTES]: a random value kept in $SECRETS/NAME (0600), made once
  local f="$SECRETS/$1"
  if [ ! -s "$f" ]; then
    (umask 077; mkdir -p "$SECRETS"; head -c "${2:-24}" /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_' > "$f")
  fi
  cat "$f"
}
b64secret() { # 32 random bytes, standard base64 (for keys)
  local f="$SECRETS/$1"
  [ -s "$f" ] || (umask 077; mkdir -p "$SECRETS"; head -c 32 /dev/urandom | base64 | tr -d '\n' > "$f")
  cat "$f"
}

private_state() { # secrets on disk: the state is the owner's only (docs/security.md "Secrets on disk")
  # FLEETGATE_HOME keeps search permission for others only when the agent's nginx added it
  # (its unprivileged workers traverse it to reach the agent's nginx directory): no listing, no reading.
  chmod go-rw "$FG_HOME"
  # Installations made before this fix: Karaf's etc/ and data/ (ConfigAdmin's copies of the
  # JWT key, master key, database password), the secrets and the logs were 0644 in 0755 folders.
  local d
  for d in "$SECRETS" "$FG_HOME/core" "$FG_HOME/logs" "$FG_HOME/agent-dist"; do
    [ -e "$d" ] && chmod -R go-rwx "$d"
  done
  if [ -d "$FG_HOME/agent" ]; then
    chmod go-rw "$FG_HOME/agent"
    [ -f "$FG_HOME/agent/agent.json" ] && chmod 600 "$FG_HOME/agent/agent.json"
    [ -d "$FG_HOME/agent/felix-cache" ] && chmod -R go-rwx "$FG_HOME/agent/felix-cache"
  fi
  return 0
}

check_secrets() { # fails when a file of run/ readable by others holds a secret (scripts/check-secrets.sh)
  local values
  values=$(umask 077 && mktemp)
  local f
  for f in "$SECRETS"/*; do case "$f" in *.p12) continue ;; esac; if [ -s "$f" ]; then { cat "$f"; echo; } >>"$values"; fi; done
  [ -f "$FG_HOME/agent/agent.json" ] && grep -oE '"apiKey" *: *"[^"]+"' "$FG_HOME/agent/agent.json" | sed 's/.*"\([^"]*\)"$/\1/' >>"$values"
  if ! "$ROOT/scripts/check-secrets.sh" -v "$values" "$FG_HOME"; then
    rm -f "$values"; die "secrets readable by other users under $FG_HOME (see above)"
  fi
  rm -f "$values"
}

tls_fingerprint() { # sha256:<hex> of the certificate the core serves over HTTPS
  local pw
  if [ -n "${FLEETGATE_TLS_KEYSTORE:-}" ]; then pw=${FLEETGATE_TLS_KEYSTORE_PASSWORD:-}; else pw=$(secret tls.password); fi
  [ -s "$TLS_KEYSTORE" ] || return 0
  FG_TLS_PW=$pw keytool -list -v -keystore "$TLS_KEYSTORE" -storepass:env FG_TLS_PW 2>/dev/null \
    | awk '/SHA256:/ { gsub(":", "", $2); print "sha256:" tolower($2); exit }'
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

karaf_client() { # runs one Karaf shell command on the local core (batch mode: the command on stdin)
  echo "$*" | "$FG_HOME/core/bin/client" -a "$SSH_PORT" -h 127.0.0.1 -u fleetgate -p "$(secret shell.password)" \
    -r 20 -d 1 -b 2>/dev/null
}

install_core() {
  if [ ! -f "$FG_HOME/core/.installed" ] || [ "$CORE_TGZ" -nt "$FG_HOME/core/.installed" ]; then
    log "installing the core distribution in $FG_HOME/core"
    rm -rf "$FG_HOME/core" && mkdir -p "$FG_HOME/core"
    tar -xzf "$CORE_TGZ" -C "$FG_HOME/core" --strip-components=1
    touch "$FG_HOME/core/.installed"
  fi
  local etc="$FG_HOME/core/etc" db_url db_user db_pw
  if [ -n "${FLEETGATE_DB_URL:-}" ]; then
    db_url=$FLEETGATE_DB_URL; db_user=${FLEETGATE_DB_USER:-fleetgate}; db_pw=${FLEETGATE_DB_PASSWORD:-}
  else
    db_url="jdbc:postgresql://127.0.0.1:5432/fleetgate"; db_user=fleetgate; db_pw=$(secret db.password)
  fi
  cat > "$etc/org.ops4j.datasource-fleetgate.cfg" <<CFG
# Written by ./fleetgate up
osgi.jdbc.driver.name = PostgreSQL JDBC Driver
dataSourceName = jdbc/fleetgate
url = $db_url
user = $db_user
password = $db_pw
pool = hikari
xa = false
jdbc.pool.maximumPoolSize = 16
hikari.connectionTimeout = 1500
hikari.validationTimeout = 1000
# start without a connection: a database slow or down at boot must not leave the core without its DataSource
hikari.initializationFailTimeout = -1
CFG
  chmod 600 "$etc/org.ops4j.datasource-fleetgate.cfg"
  sed -i "s/^\(org.osgi.service.http.port\) *=.*/\1 = $HTTP_PORT/" "$etc/org.ops4j.pax.web.cfg"
  sed -i "s/^\(org.ops4j.pax.web.listening.addresses\) *=.*/\1 = $HTTP_BIND/" "$etc/org.ops4j.pax.web.cfg"
  sed -i "s/^\(sshPort\) *=.*/\1 = $SSH_PORT/" "$etc/org.apache.karaf.shell.cfg"
  {
    echo "# Written by ./fleetgate up: the local shell user (ssh -p $SSH_PORT fleetgate@127.0.0.1)"
    echo "fleetgate = $(secret shell.password),_g_:admingroup"
    echo "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh"
  } > "$etc/users.properties"
  chmod 600 "$etc/users.properties"
  {
    echo "# Written by ./fleetgate up. Several cores must share .jwtSecret and .masterKey."
    echo ".jwtSecret = $(b64secret jwt.key)"
    echo ".masterKey = $(b64secret master.key)"
    if [ -n "${FG_INITIAL_ADMIN_PASSWORD:-}" ]; then echo ".initialAdminPassword = $FG_INITIAL_ADMIN_PASSWORD"; fi
  } > "$etc/dev.fleetgate.security.cfg"
  chmod 600 "$etc/dev.fleetgate.security.cfg"
}

start_core() {
  if alive "$FG_HOME/core.pid"; then log "core already running (pid $(cat "$FG_HOME/core.pid"))"; return 0; fi
  mkdir -p "$FG_HOME/logs"
  log "starting the core on $CORE_URL"
  local t0=$SECONDS
  # $! must be the process that setsid turns into the group leader, so that down stops Karaf's JVM too.
  # umask 077: Karaf's ConfigAdmin writes copies of every secret under data/ (bin/setenv sets it too).
  # HTTPS: bin/setenv makes a self-signed certificate in $TLS_KEYSTORE on the first start.
  local tls_password
  if [ -n "${FLEETGATE_TLS_KEYSTORE:-}" ]; then tls_password=${FLEETGATE_TLS_KEYSTORE_PASSWORD:-}; else tls_password=$(secret tls.password); fi
  (umask 077; cd "$FG_HOME/core" || exit 1
   export FLEETGATE_HTTPS_PORT=$HTTPS_PORT FLEETGATE_HTTPS_BIND=$HTTPS_BIND FLEETGATE_TLS_KEYSTORE=$TLS_KEYSTORE \
     FLEETGATE_TLS_KEYSTORE_PASSWORD=$tls_password
   setsid bin/karaf server >"$FG_HOME/logs/core.out" 2>&1 </dev/null & echo $! >"$FG_HOME/core.pid")
  local i
  for i in $(seq 1 360); do
    if curl -fsS -m 2 "$CORE_URL/api/v1/health" 2>/dev/null | grep -q '"UP"'; then
      log "core ready in $((SECONDS - t0)) s"; return 0
    fi
    alive "$FG_HOME/core.pid" || die "the core stopped while starting (see $FG_HOME/logs/core.out and $FG_HOME/core/data/log/karaf.log)"
    sleep 0.5
  done
  die "the core did not become ready in 180 s (see $FG_HOME/core/data/log/karaf.log)"
}

start_agent() {
  if alive "$FG_HOME/agent.pid"; then log "agent already running (pid $(cat "$FG_HOME/agent.pid"))"; return 0; fi
  if [ ! -f "$FG_HOME/agent-dist/.installed" ] || [ "$AGENT_TGZ" -nt "$FG_HOME/agent-dist/.installed" ]; then
    rm -rf "$FG_HOME/agent-dist" && mkdir -p "$FG_HOME/agent-dist"
    tar -xzf "$AGENT_TGZ" -C "$FG_HOME/agent-dist" --strip-components=1
    touch "$FG_HOME/agent-dist/.installed"
    chmod -R go-rwx "$FG_HOME/agent-dist" # tar keeps the tarball's 0755/0644 (its etc/ may hold secrets)
  fi
  local args=(--core "$CORE_URL" --state-dir "$FG_HOME/agent" --name "${FLEETGATE_AGENT_NAME:-local}")
  if [ ! -f "$FG_HOME/agent/agent.json" ]; then
    local token
    token=$(karaf_client "fleetgate:enroll-token --name local" | grep -oE '[A-Za-z0-9_-]{40,}' | head -1)
    [ -n "$token" ] || die "could not create an enrolment token through the Karaf shell"
    args+=(--token "$token")
  fi
  log "starting the local agent"
  FLEETGATE_PROXY_HTTP_PORT=${FLEETGATE_PROXY_HTTP_PORT:-80} FLEETGATE_PROXY_HTTPS_PORT=${FLEETGATE_PROXY_HTTPS_PORT:-443} \
    setsid "$FG_HOME/agent-dist/bin/fleetgate-agent" "${args[@]}" >"$FG_HOME/logs/agent.out" 2>&1 </dev/null &
  echo $! >"$FG_HOME/agent.pid"
  local i
  for i in $(seq 1 120); do
    if [ -f "$FG_HOME/agent/agent.json" ] && karaf_client "fleetgate:agents" | grep -q ONLINE; then
      log "agent ONLINE"; return 0
    fi
    alive "$FG_HOME/agent.pid" || die "the agent stopped while starting (see $FG_HOME/logs/agent.out)"
    sleep 0.5
  done
  die "the agent did not come ONLINE in 60 s (see $FG_HOME/logs/agent.out)"
}

fg_up() {
  log "home: $FG_HOME"
  ensure_build_tools
  if [ -z "${FLEETGATE_DB_URL:-}" ]; then
    ensure_postgres
    [ "${FG_PG_STARTED:-}" = 1 ] && touch "$FG_HOME/pg.started"
    ensure_pg_role fleetgate "$(secret db.password)"
    ensure_pg_database fleetgate fleetgate
  fi
  ensure_nginx
  ensure_docker
  ensure_demo_image
  fg_build
  local generated=
  if [ ! -f "$SECRETS/admin.created" ]; then
    if [ -n "${FLEETGATE_ADMIN_PASSWORD:-}" ]; then
      FG_INITIAL_ADMIN_PASSWORD=$FLEETGATE_ADMIN_PASSWORD
    else
      FG_INITIAL_ADMIN_PASSWORD=$(head -c 15 /dev/urandom | base64 | tr '+/' 'xy'); generated=1
    fi
  fi
  install_core
  private_state
  start_core
  if [ -n "${FG_INITIAL_ADMIN_PASSWORD:-}" ]; then
    # The core created the admin from it; it is no longer needed in the configuration.
    touch "$SECRETS/admin.created"
    sed -i '/^\.initialAdminPassword/d' "$FG_HOME/core/etc/dev.fleetgate.security.cfg"
  fi
  start_agent
  check_secrets
  echo
  echo "Fleetgate is up."
  echo "  Admin UI:  $CORE_URL/"
  echo "  REST API:  $CORE_URL/api/v1  (OpenAPI: $CORE_URL/api/v1/openapi.yaml)"
  local host
  host=$(hostname -f 2>/dev/null || hostname)
  echo "  HTTPS:     https://$host:$HTTPS_PORT/  (plain HTTP $CORE_URL listens on $HTTP_BIND only)"
  echo "  Certificate SHA-256: $(tls_fingerprint)  (agents: --core-fingerprint; also in the enrolment-token answer)"
  echo "  User:      admin"
  if [ -n "$generated" ]; then
    echo "  Password:  $FG_INITIAL_ADMIN_PASSWORD   (generated; shown only this once)"
  elif [ -n "${FG_INITIAL_ADMIN_PASSWORD:-}" ]; then
    echo "  Password:  the value of FLEETGATE_ADMIN_PASSWORD"
  else
    echo "  Password:  as set on the first start"
  fi
  echo "  Shell:     ssh -p $SSH_PORT fleetgate@127.0.0.1  (password in $SECRETS/shell.password)"
  echo "  Logs:      $FG_HOME/logs, $FG_HOME/core/data/log/karaf.log"
}

stop_pidfile() { # stop_pidfile FILE NAME: TERM the process group, KILL what is left after 30 s
  local f=$1 name=$2 pid i
  alive "$f" || { rm -f "$f"; return 0; }
  pid=$(cat "$f")
  log "stopping $name (pid $pid)"
  as_root kill -TERM -- "-$pid" 2>/dev/null || as_root kill -TERM "$pid" 2>/dev/null || true
  # Wait for the whole group: a launcher script exits before the JVM it started.
  for i in $(seq 1 60); do pgrep -g "$pid" >/dev/null || break; sleep 0.5; done
  as_root kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$f"
}

fg_down() {
  stop_pidfile "$FG_HOME/agent.pid" agent
  # The agent's nginx outlives the agent on purpose (it keeps serving across agent restarts).
  if alive "$FG_HOME/agent/nginx/nginx.pid"; then
    log "stopping the agent's nginx (pid $(cat "$FG_HOME/agent/nginx/nginx.pid"))"
    as_root kill -QUIT "$(cat "$FG_HOME/agent/nginx/nginx.pid")" 2>/dev/null || true
  fi
  stop_pidfile "$FG_HOME/core.pid" core
  if [ -f "$FG_HOME/pg.started" ]; then
    log "stopping PostgreSQL (started by up)"
    as_root pg_ctlcluster "$(ls /usr/lib/postgresql | sort -V | tail -1)" main stop || true
    rm -f "$FG_HOME/pg.started"
  fi
  stop_pidfile "$FG_HOME/dockerd.pid" "Docker engine"
  log "stopped; data stays in PostgreSQL and $FG_HOME"
}

fg_status() {
  alive "$FG_HOME/core.pid" && echo "core:  running (pid $(cat "$FG_HOME/core.pid")) $CORE_URL" || echo "core:  stopped"
  alive "$FG_HOME/agent.pid" && echo "agent: running (pid $(cat "$FG_HOME/agent.pid"))" || echo "agent: stopped"
  alive "$FG_HOME/agent/nginx/nginx.pid" && echo "nginx: running (pid $(cat "$FG_HOME/agent/nginx/nginx.pid")), proxy port ${FLEETGATE_PROXY_HTTP_PORT:-80}" || echo "nginx: stopped"
  curl -fsS -m 2 "$CORE_URL/api/v1/health" 2>/dev/null && echo || true
}
