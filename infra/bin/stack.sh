#!/usr/bin/env bash
# The local scoregen stack: Kafka (KRaft), S3Proxy and Prometheus (if installed), all on 127.0.0.1.
#
#   infra/bin/stack.sh up       start what is not running, wait until each really serves
#   infra/bin/stack.sh status   one line per component; exit 0 if all are up, 3 otherwise
#   infra/bin/stack.sh down     stop everything this stack started (reverse order)
#
# Needs the jars resolved by Maven first: ./mvnw -B -pl infra -am package -DskipTests
#
# Settings (environment):
#   SCOREGEN_HOME                data, logs, rendered configs, pid files     default: <repo>/var
#   SCOREGEN_KAFKA_PORT          Kafka clients                              default: 9092
#   SCOREGEN_KAFKA_CONTROLLER_PORT  KRaft controller                        default: 9093
#                                (recorded when the storage is formatted: to change it later, delete $SCOREGEN_HOME/data/kafka)
#   SCOREGEN_S3_PORT             S3 API                                     default: 9000
#   SCOREGEN_PROMETHEUS_PORT     Prometheus UI/API                          default: 9090
#   SCOREGEN_S3_ACCESS_KEY       S3 access key                              default: scoregen
#   SCOREGEN_S3_SECRET_KEY       S3 secret key                              default: scoregen-secret
#   SCOREGEN_S3_BUCKET           bucket created at start                    default: scoregen
#   SCOREGEN_READY_TIMEOUT       seconds each component may take to serve   default: 60
#   JAVA                         java executable (17+)                      default: java
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true # keep '&' in keys literal when rendering templates

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
INFRA=$REPO/infra
SCOREGEN_HOME=${SCOREGEN_HOME:-$REPO/var}
mkdir -p "$SCOREGEN_HOME" && SCOREGEN_HOME=$(cd "$SCOREGEN_HOME" && pwd) # absolute: pid checks match on it
KAFKA_PORT=${SCOREGEN_KAFKA_PORT:-9092}
CONTROLLER_PORT=${SCOREGEN_KAFKA_CONTROLLER_PORT:-9093}
S3_PORT=${SCOREGEN_S3_PORT:-9000}
PROMETHEUS_PORT=${SCOREGEN_PROMETHEUS_PORT:-9090}
S3_ACCESS_KEY=${SCOREGEN_S3_ACCESS_KEY:-scoregen}
S3_SECRET_KEY=${SCOREGEN_S3_SECRET_KEY:-scoregen-secret}
S3_BUCKET=${SCOREGEN_S3_BUCKET:-scoregen}
READY_TIMEOUT=${SCOREGEN_READY_TIMEOUT:-60}
JAVA=${JAVA:-java}

KAFKA_LIB=$INFRA/target/kafka/lib
S3PROXY_JAR=$INFRA/target/s3proxy/s3proxy.jar
PLATFORM_JAR=$INFRA/target/platform/scoregen-platform.jar
CONF=$SCOREGEN_HOME/conf
DATA=$SCOREGEN_HOME/data
LOGS=$SCOREGEN_HOME/logs
RUN=$SCOREGEN_HOME/run

# The components, in start order ("down" goes in reverse). Adding one (the gateway, a worker) means
# appending its name here and defining four functions for it:
#   NAME_available  returns non-zero (after saying why) when it cannot run here, so it is skipped
#   NAME_ports      prints the ports it binds (checked free before it starts)
#   NAME_command    prepares its files, then fills the array CMD with its foreground command line;
#                   that command line must mention $CONF (how "down" recognises its own processes)
#   NAME_ready      returns 0 once it really serves (called until it does or READY_TIMEOUT passes)
COMPONENTS=(kafka s3 prometheus)

say() { printf '%s\n' "$*"; }
die() { printf 'stack.sh: %s\n' "$*" >&2; exit 1; }

# Renders template $1 to $2, replacing @KEY@ by the value of each KEY=value argument that follows.
render() {
  local template=$1 out=$2 content kv
  shift 2
  content=$(<"$template")
  for kv in "$@"; do
    content=${content//@${kv%%=*}@/${kv#*=}}
  done
  printf '%s\n' "$content" >"$out"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---- kafka ---------------------------------------------------------------------------------------

kafka_available() {
  [[ -d $KAFKA_LIB && -f $PLATFORM_JAR ]] || die "Kafka jars missing under $INFRA/target: run ./mvnw -B -pl infra -am package -DskipTests"
}

kafka_ports() { echo "$KAFKA_PORT $CONTROLLER_PORT"; }

kafka_command() {
  mkdir -p "$DATA/kafka"
  render "$INFRA/conf/server.properties" "$CONF/kafka.properties" \
    "KAFKA_PORT=$KAFKA_PORT" "CONTROLLER_PORT=$CONTROLLER_PORT" "DATA_DIR=$DATA/kafka"
  if [[ ! -f $DATA/kafka/meta.properties ]]; then
    # KRaft storage is formatted once; later starts reuse the data (topics, offsets).
    local cluster_id
    cluster_id=$("$JAVA" -cp "$KAFKA_LIB/*" kafka.tools.StorageTool random-uuid)
    "$JAVA" -Dscoregen.log.level=WARN -Dlog4j2.configurationFile="$INFRA/conf/log4j2.properties" -cp "$KAFKA_LIB/*" \
      kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$CONF/kafka.properties" >>"$LOGS/kafka.log" 2>&1 \
      || die "formatting Kafka storage failed; see $LOGS/kafka.log"
  fi
  CMD=("$JAVA" -Xmx512m -Dlog4j2.configurationFile="$INFRA/conf/log4j2.properties" -cp "$KAFKA_LIB/*"
       kafka.Kafka "$CONF/kafka.properties")
}

# A metadata request must succeed, then scoregen's topics are created (TopicAdmin waits for both).
kafka_ready() {
  "$JAVA" -Dscoregen.log.level=WARN -Dlog4j2.configurationFile="$INFRA/conf/log4j2.properties" \
    -cp "$PLATFORM_JAR:$KAFKA_LIB/*" io.scoregen.platform.kafka.TopicAdmin "127.0.0.1:$KAFKA_PORT" 5 >>"$LOGS/kafka.log" 2>&1
}

# ---- s3 (S3Proxy) --------------------------------------------------------------------------------

s3_available() {
  [[ -f $S3PROXY_JAR ]] || die "S3Proxy jar missing: run ./mvnw -B -pl infra -am package -DskipTests"
}

s3_ports() { echo "$S3_PORT"; }

s3_command() {
  mkdir -p "$DATA/s3"
  (umask 077 && render "$INFRA/conf/s3proxy.properties" "$CONF/s3proxy.properties" \
    "S3_PORT=$S3_PORT" "ACCESS_KEY=$S3_ACCESS_KEY" "SECRET_KEY=$S3_SECRET_KEY" "DATA_DIR=$DATA/s3")
  CMD=("$JAVA" -Xmx256m -jar "$S3PROXY_JAR" --properties "$CONF/s3proxy.properties")
}

# A SigV4-signed PUT of the bucket (200 created, 409 already ours) proves both HTTP and credentials.
# (curl 7.88 signs the payload hash wrongly unless it is declared UNSIGNED-PAYLOAD.)
s3_ready() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --aws-sigv4 "aws:amz:us-east-1:s3" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" -X PUT "http://127.0.0.1:$S3_PORT/$S3_BUCKET") || return 1
  [[ $code == 200 || $code == 409 ]]
}

# ---- prometheus ----------------------------------------------------------------------------------

prometheus_available() {
  command -v prometheus >/dev/null || { say "prometheus: not installed (apt-get install -y --no-install-recommends prometheus); skipped"; return 1; }
}

prometheus_ports() { echo "$PROMETHEUS_PORT"; }

prometheus_command() {
  mkdir -p "$DATA/prometheus"
  render "$INFRA/conf/prometheus.yml" "$CONF/prometheus.yml" "PROMETHEUS_PORT=$PROMETHEUS_PORT"
  CMD=(prometheus --config.file="$CONF/prometheus.yml" --storage.tsdb.path="$DATA/prometheus"
       --web.listen-address="127.0.0.1:$PROMETHEUS_PORT")
  if [[ -d /etc/prometheus/consoles ]]; then
    CMD+=(--web.console.templates=/etc/prometheus/consoles --web.console.libraries=/etc/prometheus/console_libraries)
  fi
}

prometheus_ready() { curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"; }

# ---- generic machinery ---------------------------------------------------------------------------

pid_of() { [[ -f $RUN/$1.pid ]] && cat "$RUN/$1.pid"; }

# True when the pid file names a live process of this stack (not a recycled pid).
running() {
  local pid
  pid=$(pid_of "$1") || return 1
  [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$CONF/"
}

start() {
  local name=$1 port pid deadline
  if running "$name"; then
    say "$name: already running (pid $(pid_of "$name"))"
    return 0
  fi
  "${name}_available" || return 0
  for port in $("${name}_ports"); do
    port_in_use "$port" && die "$name: port $port on 127.0.0.1 is already in use (another process, or a stack with another SCOREGEN_HOME); free it or set its SCOREGEN_*_PORT"
  done
  "${name}_command"
  nohup "${CMD[@]}" >>"$LOGS/$name.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$RUN/$name.pid"
  STARTED+=("$name")
  deadline=$((SECONDS + READY_TIMEOUT))
  until "${name}_ready"; do
    kill -0 "$pid" 2>/dev/null || die "$name exited during start; last log lines:"$'\n'"$(tail -n 20 "$LOGS/$name.log")"
    ((SECONDS < deadline)) || die "$name did not serve within ${READY_TIMEOUT}s; last log lines:"$'\n'"$(tail -n 20 "$LOGS/$name.log")"
    sleep 0.2
  done
  say "$name: up (pid $pid; log $LOGS/$name.log)"
}

stop() {
  local name=$1 pid
  if ! running "$name"; then
    rm -f "$RUN/$name.pid"
    return 0
  fi
  pid=$(pid_of "$name")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name: still alive after 30 s, killing"
    kill -9 "$pid"
  fi
  rm -f "$RUN/$name.pid"
  say "$name: stopped"
}

# When "up" fails, what this run started is stopped again: nothing half-up is left behind.
STARTED=()
undo_partial_up() {
  local status=$? i
  if ((status != 0 && ${#STARTED[@]} > 0)); then
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
      stop "${STARTED[i]}" || true
    done
  fi
}

up() {
  mkdir -p "$CONF" "$DATA" "$LOGS" "$RUN"
  trap undo_partial_up EXIT
  local name
  for name in "${COMPONENTS[@]}"; do
    start "$name"
  done
  trap - EXIT
  say "stack up: kafka 127.0.0.1:$KAFKA_PORT, s3 http://127.0.0.1:$S3_PORT (bucket $S3_BUCKET), home $SCOREGEN_HOME"
}

down() {
  local i
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    stop "${COMPONENTS[i]}"
  done
}

status() {
  local name all_up=0 port ports
  for name in "${COMPONENTS[@]}"; do
    if ! ("${name}_available") >/dev/null 2>&1; then
      say "$name: unavailable here (not installed or not built)"
      continue
    fi
    ports=$("${name}_ports")
    if running "$name"; then
      for port in $ports; do
        if ! port_in_use "$port"; then
          say "$name: process $(pid_of "$name") alive but 127.0.0.1:$port not answering"
          all_up=3
          continue 2
        fi
      done
      say "$name: up (pid $(pid_of "$name"), 127.0.0.1:${ports// /,})"
    else
      say "$name: down"
      all_up=3
    fi
  done
  return "$all_up"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  *) die "usage: $0 up|down|status" ;;
esac
