#!/usr/bin/env bash
# Runs a real Apache Cassandra cluster on loopback for cqlbulk's tests and benchmarks.
#
#   scripts/cassandra.sh install                  fetch Cassandra's jars with Maven (once)
#   scripts/cassandra.sh start [N] [--block 127.0.X] [--fresh]
#                                                 N nodes (default 3) on 127.0.X.1..N
#   scripts/cassandra.sh start --secure [--fresh] 1 node on 127.0.9.1, password auth + client TLS
#   scripts/cassandra.sh status                   address, pid, up/down of every node
#   scripts/cassandra.sh stop-node I | start-node I
#   scripts/cassandra.sh nodetool I ARGS...       e.g. nodetool 1 describering ks
#   scripts/cassandra.sh check                    Python driver + nodetool smoke test
#   scripts/cassandra.sh stop                     stop every node this script started
#   scripts/cassandra.sh clean                    remove the (stopped) clusters' data
#
# Add --secure to any command to address the secure cluster instead of the main one; `stop`,
# `status` and `clean` without it act on both. Environment:
#   CQLBULK_CACHE           jar cache (default ~/.cache/cqlbulk; jars in cassandra-VERSION/lib)
#   CQLBULK_MAVEN_ARGS      extra options for mvn at install (e.g. -o, -Dmaven.repo.local=DIR)
#   CQLBULK_CASSANDRA_DIR   state dir (default /tmp/cqlbulk-cassandra; main/ and secure/ in it)
#   CQLBULK_CASSANDRA_BLOCK address block of the main cluster (default 127.0.0)
#   CQLBULK_CASSANDRA_HEAP, CQLBULK_CASSANDRA_YOUNG  heap and young generation per node
#   CQLBULK_CASSANDRA_JVM_OPTS extra JVM options for every node
#   CQLBULK_CASSANDRA_TIMEOUT  seconds start waits for the cluster (default 240)
#   CQLBULK_CASSANDRA_PASSWORD password of role cqlbulk in the secure cluster
set -euo pipefail

# The one place the version is pinned. 5.0.9 is the newest 5.0.x on Maven Central and runs
# on Java 17 (the machine's JDK); 5.0 is what the project's client and cqlsim target beyond 4.0.
CASSANDRA_VERSION=5.0.9

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMPLATES="$HERE/cassandra"
CACHE_DIR="${CQLBULK_CACHE:-$HOME/.cache/cqlbulk}"
INSTALL_DIR="$CACHE_DIR/cassandra-$CASSANDRA_VERSION"
LIB_DIR="$INSTALL_DIR/lib"
STAMP="$INSTALL_DIR/installed.stamp"
STATE_DIR="${CQLBULK_CASSANDRA_DIR:-/tmp/cqlbulk-cassandra}"
HEAP="${CQLBULK_CASSANDRA_HEAP:-512M}"
YOUNG="${CQLBULK_CASSANDRA_YOUNG:-96M}"
START_TIMEOUT="${CQLBULK_CASSANDRA_TIMEOUT:-240}"
STOP_TIMEOUT=30                                  # seconds between SIGTERM and SIGKILL
PYTHON="${CQLBULK_PYTHON:-/usr/bin/python3}"     # the one with Debian's python3-cassandra
JAVA="${JAVA:-java}"
SECURE_USER=cqlbulk
SECURE_PASSWORD="${CQLBULK_CASSANDRA_PASSWORD:-cqlbulk-secret}"
MAX_NODES=20                                     # JMX ports are allotted 20 per block

# Which cluster the command is about: "main" (plain) or "secure". Set by --secure.
CLUSTER=main
CLUSTER_GIVEN=0

log() { printf '%s\n' "$*"; }
warn() { printf 'cassandra.sh: %s\n' "$*" >&2; }
die() { warn "error: $*"; exit 1; }

now() { date +%s.%N; }
elapsed_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------------------------
# install: Cassandra's jars from Maven Central into the cache, once.

check_java() {
  command -v "$JAVA" >/dev/null || die "java not found (install openjdk-17-jre-headless: scripts/install-deps.sh)"
  local v
  v="$("$JAVA" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')"
  case "$v" in
    11.*|17.*) ;;
    *) die "Cassandra $CASSANDRA_VERSION runs on Java 11 or 17; '$JAVA' is version '${v:-unknown}'" ;;
  esac
}

cmd_install() {
  if [ -f "$STAMP" ]; then
    log "Cassandra $CASSANDRA_VERSION is installed in $LIB_DIR"
    return
  fi
  command -v mvn >/dev/null || die "mvn not found (install maven: scripts/install-deps.sh)"
  check_java
  local t0 tmp
  t0="$(now)"
  mkdir -p "$INSTALL_DIR"
  tmp="$INSTALL_DIR/lib.partial"
  rm -rf "$tmp" "$LIB_DIR"
  log "resolving org.apache.cassandra:cassandra-all:$CASSANDRA_VERSION and its runtime dependencies with Maven"
  # runtime scope: what a node and nodetool load; Maven's own repository (~/.m2) keeps the
  # downloads, the copies in lib/ are what the classpath names.
  # shellcheck disable=SC2086  # CQLBULK_MAVEN_ARGS: extra options, e.g. -o or -Dmaven.repo.local=DIR
  if ! mvn -B -q ${CQLBULK_MAVEN_ARGS:-} -f "$TEMPLATES/pom.xml" -Dcassandra.version="$CASSANDRA_VERSION" \
         dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" \
         >"$INSTALL_DIR/mvn.log" 2>&1; then
    tail -n 30 "$INSTALL_DIR/mvn.log" >&2
    die "Maven could not resolve Cassandra $CASSANDRA_VERSION (log: $INSTALL_DIR/mvn.log)"
  fi
  [ -f "$tmp/cassandra-all-$CASSANDRA_VERSION.jar" ] || die "Maven ran but cassandra-all-$CASSANDRA_VERSION.jar is missing in $tmp"
  mv "$tmp" "$LIB_DIR"
  printf 'cassandra-all %s, %s jars, installed %s\n' "$CASSANDRA_VERSION" \
    "$(find "$LIB_DIR" -name '*.jar' | wc -l)" "$(date -u +%FT%TZ)" >"$STAMP"
  log "installed Cassandra $CASSANDRA_VERSION in $LIB_DIR ($(du -sh "$LIB_DIR" | cut -f1), $(elapsed_since "$t0") s)"
}

ensure_installed() {
  [ -f "$STAMP" ] || cmd_install
}

# ---------------------------------------------------------------------------------------------
# The cluster's layout. A cluster lives in $STATE_DIR/$CLUSTER; cluster.env there records how
# it was started (nodes, block, secure), so later commands need no options.

cluster_dir() { printf '%s/%s' "$STATE_DIR" "$CLUSTER"; }
node_dir() { printf '%s/node%s' "$(cluster_dir)" "$1"; }
node_addr() { printf '%s.%s' "$BLOCK" "$1"; }
pid_file() { printf '%s/cassandra.pid' "$(node_dir "$1")"; }

# JMX listens on 127.0.0.1 only (Cassandra's local JMX), so each node of each block needs its
# own port: 7199+i for block 127.0.0 (7200, 7201, ...), 20 more for each following block.
jmx_port() {
  local third="${BLOCK##*.}"
  printf '%s' $((7199 + 20 * third + $1))
}

load_cluster() {
  local env
  env="$(cluster_dir)/cluster.env"
  [ -f "$env" ] || return 1
  # shellcheck disable=SC1090
  . "$env"
}

save_cluster() {
  mkdir -p "$(cluster_dir)"
  printf 'NODES=%s\nBLOCK=%s\nSECURE=%s\n' "$NODES" "$BLOCK" "$SECURE" >"$(cluster_dir)/cluster.env"
}

# The pid of node I if it is running, else nothing. The pid file alone could name a recycled
# pid, so the process's command line must carry this node's marker.
node_pid() {
  local f pid
  f="$(pid_file "$1")"
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "-Dcqlbulk.node=$(node_dir "$1")" || return 1
  printf '%s' "$pid"
}

# Is something listening on ADDR:PORT (or on the port of every address)?
port_listening() {
  local addr="$1" port="$2"
  ss -Hltn 2>/dev/null | awk -v a="$addr:$port" -v p=":$port" '
    { local_ = $4 }
    local_ == a || local_ == "0.0.0.0" p || local_ == "*" p || local_ == "[::]" p { found = 1 }
    END { exit !found }'
}

# ---------------------------------------------------------------------------------------------
# Tokens: node I of N gets tokens k = j*N + (I-1), j = 0..15, of 16*N evenly spaced over the
# Murmur3 range, so vnodes interleave and each node owns 1/N. (k - 8N) * step stays inside
# 64-bit arithmetic where -2^63 + k*step would not.

initial_tokens() {
  local i="$1" n="$2" j k step out=""
  step=$((9223372036854775807 / (8 * n)))
  for ((j = 0; j < 16; j++)); do
    k=$((j * n + i - 1))
    out+="${out:+,}$(((k - 8 * n) * step))"
  done
  printf '%s' "$out"
}

# conf/cassandra.yaml of node I from the project's templates.
render_config() {
  local i="$1" dir conf seeds auth authz
  dir="$(node_dir "$i")"
  conf="$dir/conf"
  mkdir -p "$conf" "$dir"/{data,commitlog,saved_caches,hints,cdc_raw,logs}
  seeds="$(node_addr 1):7000"
  if [ "$SECURE" = 1 ]; then
    auth=PasswordAuthenticator authz=CassandraAuthorizer
  else
    auth=AllowAllAuthenticator authz=AllowAllAuthorizer
  fi
  sed -e "s|@CLUSTER_NAME@|cqlbulk-$CLUSTER|g" \
      -e "s|@INITIAL_TOKENS@|$(initial_tokens "$i" "$NODES")|g" \
      -e "s|@NODE_DIR@|$dir|g" \
      -e "s|@SEEDS@|$seeds|g" \
      -e "s|@ADDRESS@|$(node_addr "$i")|g" \
      -e "s|@AUTHENTICATOR@|$auth|g" \
      -e "s|@AUTHORIZER@|$authz|g" \
      "$TEMPLATES/cassandra.yaml.in" >"$conf/cassandra.yaml"
  if [ "$SECURE" = 1 ]; then
    sed -e "s|@KEYSTORE_PEM@|$(cluster_dir)/tls/keystore.pem|g" \
        -e "s|@CA_PEM@|$(cluster_dir)/tls/ca.pem|g" \
        "$TEMPLATES/client-tls.yaml.in" >>"$conf/cassandra.yaml"
  fi
}

# The JVM command line of node I.
node_command() {
  local i="$1" dir jmx jamm
  dir="$(node_dir "$i")"
  jmx="$(jmx_port "$i")"
  jamm="$(ls "$LIB_DIR"/jamm-*.jar | head -n 1)"
  NODE_CMD=("$JAVA"
    # Heap: small and fixed; G1 with a fixed small young generation keeps pauses short and
    # the resident size near the heap. No AlwaysPreTouch: RSS grows only with use.
    "-Xms$HEAP" "-Xmx$HEAP" "-Xmn$YOUNG" -Xss256k
    -XX:+UseG1GC -XX:+ParallelRefProcEnabled -XX:MaxTenuringThreshold=1 -XX:MaxGCPauseMillis=300
    -XX:+ExitOnOutOfMemoryError -XX:-OmitStackTraceInFastThrow -XX:+PerfDisableSharedMem
    -XX:+UseThreadPriorities -XX:+UseStringDeduplication
    "-javaagent:$jamm"                      # Cassandra measures memtables with jamm
    -Djava.net.preferIPv4Stack=true
    $(grep -v '^[[:space:]]*\(#\|$\)' "$TEMPLATES/jvm17.options")
    "-Dcassandra.config=file://$dir/conf/cassandra.yaml"
    "-Dcassandra.storagedir=$dir"
    "-Dcassandra.logdir=$dir/logs"
    "-Dlogback.configurationFile=file://$TEMPLATES/logback.xml"
    # local JMX (bound to 127.0.0.1, no authentication) for nodetool; RMI on the same port
    "-Dcassandra.jmx.local.port=$jmx" "-Dcom.sun.management.jmxremote.rmi.port=$jmx"
    # Fast start of a fresh test cluster: tokens are given and nobody bootstraps, so there is
    # no need to wait for gossip to settle or for the default 30 s ring delay.
    -Dcassandra.skip_wait_for_gossip_to_settle=0
    -Dcassandra.ring_delay_ms=5000
    -Dcassandra.superuser_setup_delay_ms=0
    "-Dcqlbulk.node=$dir"                   # marks the process as ours (see node_pid)
    ${CQLBULK_CASSANDRA_JVM_OPTS:-}         # extra options, e.g. -XX:TieredStopAtLevel=1
    -cp "$LIB_DIR/*"
    org.apache.cassandra.service.CassandraDaemon)
}

# Starts node I in the background, in a session of its own (so that the caller's terminal or
# job ending does not take it down). The process writes its own pid before it becomes the JVM
# (setsid may fork, so $! would not do), and launch_node returns once the JVM runs.
launch_node() {
  local i="$1" dir pidf tries
  dir="$(node_dir "$i")"
  pidf="$(pid_file "$i")"
  render_config "$i"
  node_command "$i"
  rm -f "$pidf"
  : >"$dir/logs/stdout.log"
  (cd "$dir" && exec setsid nohup bash -c 'echo $$ >"$1"; shift; exec "$@"' launch "$pidf" \
     "${NODE_CMD[@]}" >>"$dir/logs/stdout.log" 2>&1 </dev/null) &
  for ((tries = 0; tries < 100; tries++)); do
    node_pid "$i" >/dev/null && return 0
    sleep 0.05
  done
  # Not running after 5 s: wait_ready reports why (stdout.log says what the JVM said).
}

# Refuses to start node I when one of its ports is taken by someone else.
check_ports() {
  local i="$1" addr port busy=""
  addr="$(node_addr "$i")"
  for port in 9042 7000; do
    port_listening "$addr" "$port" && busy+=" $addr:$port"
  done
  port_listening 127.0.0.1 "$(jmx_port "$i")" && busy+=" 127.0.0.1:$(jmx_port "$i") (JMX)"
  if [ -n "$busy" ]; then
    warn "node $i: port already in use:$busy"
    ss -Hltnp 2>/dev/null | grep -F -e "$addr:9042" -e "$addr:7000" -e ":$(jmx_port "$i") " >&2 || true
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# Waiting for nodes: up means it accepts CQL (its native port listens, which Cassandra opens
# last) and nodetool status on it shows every node of the cluster as UN.

nodetool_run() {
  local i="$1"; shift
  NODETOOL_CMD=("$JAVA" -Xms32m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto
    $(grep -E -- '^--add-(exports|opens)' "$TEMPLATES/jvm17.options")
    "-Dlogback.configurationFile=file://$TEMPLATES/logback-tools.xml"
    "-Dcassandra.storagedir=$(node_dir "$i")"
    -cp "$LIB_DIR/*" org.apache.cassandra.tools.NodeTool
    -h 127.0.0.1 -p "$(jmx_port "$i")" "$@")
  "${NODETOOL_CMD[@]}"
}

# How many nodes of this cluster node I sees as Up/Normal.
count_un() {
  nodetool_run "$1" status 2>/dev/null | awk -v b="$BLOCK." '$1 == "UN" && index($2, b) == 1 { n++ } END { print n + 0 }'
}

cql_accepting() { port_listening "$(node_addr "$1")" 9042; }

# Why node I died, from its logs.
death_reason() {
  local dir logs
  dir="$(node_dir "$1")"
  logs=("$dir/logs/stdout.log" "$dir/logs/system.log")
  if grep -qsE 'OutOfMemoryError|Cannot allocate memory|Could not reserve enough space|insufficient memory' "${logs[@]}"; then
    printf 'out of memory (heap %s; set CQLBULK_CASSANDRA_HEAP, or free memory)' "$HEAP"
  elif grep -qsE 'Address already in use|BindException' "${logs[@]}"; then
    printf 'a port it needs is taken (%s)' "$(grep -hsE -m1 'Address already in use|BindException' "${logs[@]}" | cut -c1-160)"
  elif grep -qsE 'Exception encountered during startup|ConfigurationException' "${logs[@]}"; then
    printf 'Cassandra failed to start: %s' "$(grep -hsE -m1 -A1 'Exception encountered during startup|ConfigurationException' "${logs[@]}" | tr '\n' ' ' | cut -c1-300)"
  else
    printf 'the JVM exited'
  fi
}

show_log_tail() {
  local dir
  dir="$(node_dir "$1")"
  for f in "$dir/logs/stdout.log" "$dir/logs/system.log"; do
    [ -s "$f" ] || continue
    warn "---- last lines of $f"
    tail -n 25 "$f" >&2
  done
}

# Waits until every node in "$@" is up and sees EXPECT_UP nodes (default: all) as UN; prints
# a line per node. Returns 1 (after saying why) when a node dies or the time runs out.
wait_ready() {
  local t0="$1"; shift
  local deadline i pid want="${EXPECT_UP:-$NODES}" all_cql answers
  local -a pending bg
  local -A done_=()
  deadline=$(($(date +%s) + START_TIMEOUT))
  answers="$(mktemp -d)"
  while :; do
    all_cql=1 pending=()
    for i in "$@"; do
      [ -n "${done_[$i]:-}" ] && continue
      if ! pid="$(node_pid "$i")"; then
        warn "node $i ($(node_addr "$i")) died during start: $(death_reason "$i")"
        show_log_tail "$i"
        rm -rf "$answers"
        return 1
      fi
      cql_accepting "$i" || all_cql=0
      pending+=("$i")
    done
    # nodetool is a JVM of its own: ask only once every node accepts CQL (so that polling
    # takes no CPU from nodes still starting), and ask all pending nodes at once.
    if [ "$all_cql" = 1 ]; then
      bg=()
      for i in "${pending[@]}"; do count_un "$i" >"$answers/$i" & bg+=("$!"); done
      wait "${bg[@]}" || true
      for i in "${pending[@]}"; do
        [ "$(cat "$answers/$i" 2>/dev/null || echo 0)" -ge "$want" ] || continue
        done_[$i]=1
        log "node$i  $(node_addr "$i"):9042  pid $(node_pid "$i")  jmx 127.0.0.1:$(jmx_port "$i")  sees $want/$NODES UN  after $(elapsed_since "$t0") s"
      done
    fi
    if [ "${#done_[@]}" -eq "$#" ]; then
      rm -rf "$answers"
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      for i in "$@"; do
        [ -n "${done_[$i]:-}" ] && continue
        warn "node $i ($(node_addr "$i")) not ready after ${START_TIMEOUT} s (cql: $(cql_accepting "$i" && echo listening || echo closed), sees $(count_un "$i")/$want UN)"
        show_log_tail "$i"
      done
      rm -rf "$answers"
      return 1
    fi
    sleep 1
  done
}

# ---------------------------------------------------------------------------------------------
# Stopping: SIGTERM (Cassandra's shutdown hook flushes and leaves the ring cleanly), SIGKILL
# after STOP_TIMEOUT seconds. Only processes whose pid file and marker say they are ours.

stop_nodes() {
  local i pid waited
  local -A pids=()
  for i in "$@"; do
    if pid="$(node_pid "$i")"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids[$i]="$pid"
    fi
    rm -f "$(pid_file "$i")"
  done
  for waited in $(seq 1 $((STOP_TIMEOUT * 5))); do
    for i in "${!pids[@]}"; do
      kill -0 "${pids[$i]}" 2>/dev/null || { log "node $i ($(node_addr "$i")) stopped (pid ${pids[$i]})"; unset "pids[$i]"; }
    done
    [ "${#pids[@]}" -eq 0 ] && return 0
    sleep 0.2
  done
  for i in "${!pids[@]}"; do
    warn "node $i (pid ${pids[$i]}) still running after ${STOP_TIMEOUT} s: SIGKILL"
    kill -KILL "${pids[$i]}" 2>/dev/null || true
  done
}

# Nodes started by this invocation, stopped again if the start fails or is interrupted.
STARTED=()
abort_start() {
  trap - INT TERM
  if [ "${#STARTED[@]}" -gt 0 ]; then
    warn "stopping the nodes this start launched: ${STARTED[*]}"
    STOP_TIMEOUT=10 stop_nodes "${STARTED[@]}" >&2
  fi
}

# ---------------------------------------------------------------------------------------------
# The secure cluster: a CA and a server certificate for its addresses, made with openssl.

make_certs() {
  local tls i san=""
  tls="$(cluster_dir)/tls"
  [ -f "$tls/keystore.pem" ] && [ -f "$tls/ca.pem" ] && return 0
  command -v openssl >/dev/null || die "openssl not found (scripts/install-deps.sh)"
  mkdir -p "$tls"
  for ((i = 1; i <= NODES; i++)); do san+="${san:+,}IP:$(node_addr "$i")"; done
  (
    cd "$tls"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
      -subj "/CN=cqlbulk test CA" 2>/dev/null
    # PKCS#8 key: PEMBasedSslContextFactory reads "BEGIN PRIVATE KEY".
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out server.key 2>/dev/null
    openssl req -new -key server.key -out server.csr -subj "/CN=$(node_addr 1)" 2>/dev/null
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
      -extfile server.ext -out server.pem 2>/dev/null
    cat server.key server.pem >keystore.pem
    chmod 600 ca.key server.key keystore.pem
    rm -f server.csr server.ext
  )
}

# Role cqlbulk (login, all permissions on all keyspaces), made as the default superuser.
create_role() {
  [ -x "$PYTHON" ] || die "$PYTHON not found: cannot create role $SECURE_USER (python3-cassandra)"
  "$PYTHON" - "$(node_addr 1)" "$(cluster_dir)/tls/ca.pem" "$SECURE_USER" "$SECURE_PASSWORD" <<'EOF'
import ssl, sys, time
from cassandra.cluster import Cluster
from cassandra.auth import PlainTextAuthProvider
host, ca, user, password = sys.argv[1:5]
ctx = ssl.create_default_context(cafile=ca)
last = None
for _ in range(30):   # the default superuser appears a moment after the node opens CQL
    try:
        cluster = Cluster([host], ssl_context=ctx,
                          auth_provider=PlainTextAuthProvider("cassandra", "cassandra"))
        session = cluster.connect()
        break
    except Exception as e:
        last = e
        time.sleep(1)
else:
    sys.exit(f"cannot log in as cassandra/cassandra: {last}")
if session.execute("SELECT role FROM system_auth.roles WHERE role = %s", (user,)).one() is None:
    session.execute(f"CREATE ROLE {user} WITH PASSWORD = %s AND LOGIN = true", (password,))
else:   # a restarted cluster: the password may have changed (5.0 allows one change per 5 s)
    session.execute(f"ALTER ROLE {user} WITH PASSWORD = %s AND LOGIN = true", (password,))
session.execute(f"GRANT ALL PERMISSIONS ON ALL KEYSPACES TO {user}")
cluster.shutdown()
EOF
}

# ---------------------------------------------------------------------------------------------
# Commands.

cmd_start() {
  local n="" block="" fresh=0 i running=() down=() t0
  t0="$(now)"     # the time reported counts everything start does
  while [ $# -gt 0 ]; do
    case "$1" in
      --block) block="${2:?--block needs 127.0.X}"; shift 2 ;;
      --block=*) block="${1#*=}"; shift ;;
      --fresh) fresh=1; shift ;;
      [0-9]*) n="$1"; shift ;;
      *) die "start: unknown argument '$1'" ;;
    esac
  done
  if [ "$CLUSTER" = secure ]; then
    SECURE=1 n="${n:-1}" block="${block:-${CQLBULK_CASSANDRA_SECURE_BLOCK:-127.0.9}}"
  else
    SECURE=0 n="${n:-3}" block="${block:-${CQLBULK_CASSANDRA_BLOCK:-127.0.0}}"
  fi
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le "$MAX_NODES" ] || die "start: N must be 1..$MAX_NODES"
  [[ "$block" =~ ^127\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || die "start: --block must be a loopback block 127.A.B (got '$block')"

  if [ "$fresh" = 1 ]; then
    if load_cluster; then stop_nodes $(seq 1 "$NODES"); fi
    rm -rf "$(cluster_dir)"
  fi

  # Already running? Then this is a no-op (or the missing nodes are started again).
  if load_cluster; then
    if [ "$NODES" != "$n" ] || [ "$BLOCK" != "$block" ]; then
      for ((i = 1; i <= NODES; i++)); do node_pid "$i" >/dev/null && running+=("$i"); done
      [ "${#running[@]}" -eq 0 ] || die "the $CLUSTER cluster runs with $NODES nodes on $BLOCK.x; stop it first (or start --fresh)"
      [ -d "$(node_dir 1)/data/system" ] && die "$(cluster_dir) holds the data of a $NODES-node cluster on $BLOCK.x; use start --fresh (or clean) for $n nodes on $block.x"
    fi
  fi
  NODES="$n" BLOCK="$block"
  for ((i = 1; i <= NODES; i++)); do
    if node_pid "$i" >/dev/null; then running+=("$i"); else down+=("$i"); fi
  done
  if [ "${#down[@]}" -eq 0 ]; then
    log "the $CLUSTER cluster is already running ($NODES nodes on $BLOCK.1..$NODES); nothing to do"
    cmd_status
    return 0
  fi

  check_java
  ensure_installed
  for i in "${down[@]}"; do check_ports "$i" || die "cannot start node $i: port taken (another cluster or cqlsim on $(node_addr "$i")? try --block 127.0.X)"; done
  local avail_mb need_mb
  avail_mb="$(awk '/MemAvailable/ { print int($2 / 1024) }' /proc/meminfo)"
  need_mb=$(( ${#down[@]} * ($(numfmt --from=iec "$HEAP") / 1048576 + 300) ))
  [ "$avail_mb" -ge "$need_mb" ] || die "not enough memory: ${#down[@]} node(s) need about $need_mb MiB, $avail_mb MiB available"

  save_cluster
  [ "$SECURE" = 1 ] && make_certs
  trap 'abort_start; exit 130' INT TERM
  # All nodes at once: with given tokens and no bootstrap they do not need each other to
  # come up, only to gossip afterwards.
  for i in "${down[@]}"; do
    launch_node "$i"
    STARTED+=("$i")
  done
  log "starting ${#down[@]} node(s) of the $CLUSTER cluster (Cassandra $CASSANDRA_VERSION, heap $HEAP) in $(cluster_dir)"
  if ! wait_ready "$t0" $(seq 1 "$NODES"); then
    abort_start
    die "the $CLUSTER cluster did not start"
  fi
  if [ "$SECURE" = 1 ]; then
    create_role || { abort_start; die "could not create role $SECURE_USER"; }
  fi
  trap - INT TERM
  log "the $CLUSTER cluster is up: $NODES node(s), $BLOCK.1..$NODES:9042, in $(elapsed_since "$t0") s"
  if [ "$SECURE" = 1 ]; then
    log "client TLS required; CA: $(cluster_dir)/tls/ca.pem"
    log "logins: cassandra/cassandra (superuser), $SECURE_USER/$SECURE_PASSWORD (all permissions on all keyspaces)"
  fi
}

# Runs FUNCTION for the cluster chosen with --secure, or for every cluster that exists.
for_clusters() {
  local fn="$1" c
  if [ "$CLUSTER_GIVEN" = 1 ]; then
    load_cluster && "$fn"
    return 0
  fi
  for c in main secure; do
    CLUSTER="$c"
    load_cluster && "$fn"
  done
  return 0
}

stop_cluster() { stop_nodes $(seq 1 "$NODES"); }
cmd_stop() {
  for_clusters stop_cluster
}

# One line per node, "nodeI  ADDRESS  pid P  up|down ...": tests/e2e/harness.py reads the
# addresses of the nodes that are up from lines starting with "node".
status_cluster() {
  local i pid up=0
  log "$CLUSTER cluster: $NODES node(s) on $BLOCK.1..$NODES in $(cluster_dir)$([ "$SECURE" = 1 ] && echo ", TLS + password (CA $(cluster_dir)/tls/ca.pem)")"
  for ((i = 1; i <= NODES; i++)); do
    if pid="$(node_pid "$i")"; then
      up=$((up + 1))
      log "node$i  $(node_addr "$i")  pid $pid  up  cql $(cql_accepting "$i" && echo accepting || echo closed)  jmx 127.0.0.1:$(jmx_port "$i")"
    else
      log "node$i  $(node_addr "$i")  -  down"
    fi
  done
  log "$up/$NODES node(s) running"
}
# The main cluster's nodes, or the secure one's with --secure; without --secure the secure
# cluster gets one summary line only (its nodes need TLS, so tests must not pick them up).
cmd_status() {
  local i up=0
  if [ "$CLUSTER_GIVEN" = 1 ]; then
    need_cluster
    status_cluster
    return
  fi
  if load_cluster; then status_cluster; else log "no main cluster in $STATE_DIR"; fi
  CLUSTER=secure
  if load_cluster; then
    for ((i = 1; i <= NODES; i++)); do node_pid "$i" >/dev/null && up=$((up + 1)); done
    log "secure cluster: $up/$NODES node(s) running on $BLOCK.1..$NODES (details: status --secure)"
  fi
  CLUSTER=main
}

need_cluster() {
  load_cluster || die "no $CLUSTER cluster in $STATE_DIR (start it first)"
}

need_index() {
  [[ "${1:-}" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le "$NODES" ] || die "node index must be 1..$NODES (got '${1:-}')"
}

cmd_stop_node() {
  need_cluster
  need_index "${1:-}"
  node_pid "$1" >/dev/null || { log "node $1 ($(node_addr "$1")) is not running"; return 0; }
  stop_nodes "$1"
}

cmd_start_node() {
  local t0
  need_cluster
  need_index "${1:-}"
  if node_pid "$1" >/dev/null; then log "node $1 ($(node_addr "$1")) is already running"; return 0; fi
  check_java
  ensure_installed
  check_ports "$1" || die "cannot start node $1: port taken"
  t0="$(now)"
  trap 'abort_start; exit 130' INT TERM
  launch_node "$1"
  STARTED=("$1")
  # Ready when the node is up and it and every other running node see all running nodes UN.
  local i up=()
  for ((i = 1; i <= NODES; i++)); do node_pid "$i" >/dev/null && up+=("$i"); done
  if ! EXPECT_UP="${#up[@]}" wait_ready "$t0" "${up[@]}"; then abort_start; die "node $1 did not start"; fi
  trap - INT TERM
}

cmd_nodetool() {
  need_cluster
  need_index "${1:-}"
  check_java
  ensure_installed
  local i="$1"; shift
  nodetool_run "$i" "$@"
}

# check: the DataStax Python driver against the running cluster (scripts/cassandra/smoke.py),
# and nodetool describering on node 1.
check_cluster() {
  local i addrs=() out
  [ -x "$PYTHON" ] || die "$PYTHON not found (python3-cassandra)"
  for ((i = 1; i <= NODES; i++)); do addrs+=("$(node_addr "$i")"); done
  if [ "$SECURE" = 1 ]; then
    "$PYTHON" "$TEMPLATES/smoke.py" secure "${addrs[0]}" "$(cluster_dir)/tls/ca.pem" "$SECURE_USER" "$SECURE_PASSWORD"
  else
    "$PYTHON" "$TEMPLATES/smoke.py" plain "$NODES" "${addrs[@]}"
  fi
  out="$(nodetool_run 1 describering system_distributed)"
  log "$CLUSTER: nodetool 1 describering system_distributed: $(grep -c 'TokenRange(' <<<"$out") token ranges ($((16 * NODES)) expected)"
  [ "$(grep -c 'TokenRange(' <<<"$out")" -eq $((16 * NODES)) ] || die "describering printed an unexpected ring:"$'\n'"$out"
}
cmd_check() {
  need_cluster
  check_java
  check_cluster
}

clean_cluster() {
  local i
  for ((i = 1; i <= NODES; i++)); do
    node_pid "$i" >/dev/null && die "the $CLUSTER cluster is running (node $i): stop it first"
  done
  rm -rf "$(cluster_dir)"
  log "removed $(cluster_dir)"
}
cmd_clean() {
  for_clusters clean_cluster
  rmdir "$STATE_DIR" 2>/dev/null || true
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

main() {
  local args=() cmd
  # --secure may stand anywhere before a nodetool's own arguments.
  while [ $# -gt 0 ]; do
    case "$1" in
      --secure) CLUSTER=secure CLUSTER_GIVEN=1; shift ;;
      nodetool) args+=("$1"); shift
                while [ $# -gt 0 ] && [ "$1" = --secure ]; do CLUSTER=secure CLUSTER_GIVEN=1; shift; done
                args+=("$@"); break ;;
      *) args+=("$1"); shift ;;
    esac
  done
  set -- "${args[@]}"
  cmd="${1:-help}"
  [ $# -gt 0 ] && shift
  case "$cmd" in
    install) cmd_install ;;
    start) cmd_start "$@" ;;
    start-secure) CLUSTER=secure CLUSTER_GIVEN=1; cmd_start "$@" ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    stop-node) cmd_stop_node "$@" ;;
    start-node) cmd_start_node "$@" ;;
    nodetool) cmd_nodetool "$@" ;;
    check) cmd_check ;;
    clean) cmd_clean ;;
    help|-h|--help) usage ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

# "; exit" on the same line: bash never reads past it, so editing this file while it runs is safe.
main "$@"; exit
