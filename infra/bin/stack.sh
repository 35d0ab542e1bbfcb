#!/usr/bin/env bash
# The local scoregen stack: Kafka (KRaft), S3Proxy, Prometheus (if installed), the gateway and
# train and sample workers (one of each by default), all on 127.0.0.1.
#
#   infra/bin/stack.sh up       start what is not running, wait until each really serves
#   infra/bin/stack.sh status   one line per component; exit 0 if all are up, 3 otherwise
#   infra/bin/stack.sh down     stop everything this stack started (reverse order)
#
# "up" builds what is missing first (./mvnw package -DskipTests of infra, gateway and the workers;
# offline first, then online once).
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
#   SCOREGEN_GATEWAY_PORT        gateway REST API                           default: 8080
#   SCOREGEN_WORKER_TRAIN_METRICS_PORT   worker-train /metrics, /-/healthy   default: 9401
#   SCOREGEN_WORKER_SAMPLE_METRICS_PORT  worker-sample /metrics, /-/healthy  default: 9402
#   SCOREGEN_TRAIN_WORKERS       train workers (0 … 9)                      default: 1
#   SCOREGEN_SAMPLE_WORKERS      sample workers (0 … 9; 0: jobs stay queued) default: 1
#                                worker i > 1 is the component worker-KIND-i, its metrics port the
#                                kind's port + 10·(i − 1) (9402, 9412, 9422, …); Prometheus scrapes all
#   SCOREGEN_API_TOKEN           bearer token of the gateway                default: generated once into
#                                $SCOREGEN_HOME/conf/api-token (printed by status)
#   SCOREGEN_WORKER_THREADS      libtorch threads per worker (0 = default)  default: 0
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
GATEWAY_PORT=${SCOREGEN_GATEWAY_PORT:-8080}
WORKER_TRAIN_METRICS_PORT=${SCOREGEN_WORKER_TRAIN_METRICS_PORT:-9401}
WORKER_SAMPLE_METRICS_PORT=${SCOREGEN_WORKER_SAMPLE_METRICS_PORT:-9402}
TRAIN_WORKERS=${SCOREGEN_TRAIN_WORKERS:-1}
SAMPLE_WORKERS=${SCOREGEN_SAMPLE_WORKERS:-1}
WORKER_THREADS=${SCOREGEN_WORKER_THREADS:-0}
READY_TIMEOUT=${SCOREGEN_READY_TIMEOUT:-60}
JAVA=${JAVA:-java}

KAFKA_LIB=$INFRA/target/kafka/lib
S3PROXY_JAR=$INFRA/target/s3proxy/s3proxy.jar
PLATFORM_JAR=$INFRA/target/platform/scoregen-platform.jar
GATEWAY_JAR=$REPO/gateway/target/quarkus-app/quarkus-run.jar
WORKER_TRAIN_JAR=$REPO/worker-train/target/scoregen-worker-train.jar
WORKER_SAMPLE_JAR=$REPO/worker-sample/target/scoregen-worker-sample.jar
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
# Workers are the exception: worker-KIND and worker-KIND-i share the worker_* functions (see call).

say() { printf '%s\n' "$*"; }
die() { printf 'stack.sh: %s\n' "$*" >&2; exit 1; }

# The components of N workers of a kind: worker-KIND, worker-KIND-2, … worker-KIND-N.
workers() {
  local kind=$1 count=$2 i
  ((count > 0)) && echo "worker-$kind"
  for ((i = 2; i <= count; i++)); do echo "worker-$kind-$i"; done
}
[[ $TRAIN_WORKERS =~ ^[0-9]$ ]] || die "SCOREGEN_TRAIN_WORKERS must be 0 … 9, got '$TRAIN_WORKERS'"
[[ $SAMPLE_WORKERS =~ ^[0-9]$ ]] || die "SCOREGEN_SAMPLE_WORKERS must be 0 … 9, got '$SAMPLE_WORKERS'"
mapfile -t TRAIN_COMPONENTS < <(workers train "$TRAIN_WORKERS")
mapfile -t SAMPLE_COMPONENTS < <(workers sample "$SAMPLE_WORKERS")
COMPONENTS=(kafka s3 prometheus gateway "${TRAIN_COMPONENTS[@]}" "${SAMPLE_COMPONENTS[@]}")

# Runs component $1's function $2: NAME_FN, or worker_FN NAME for every worker.
call() {
  if [[ $1 == worker-* ]]; then
    "worker_$2" "$1"
  else
    "$1_$2"
  fi
}

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
  render "$INFRA/conf/prometheus.yml" "$CONF/prometheus.yml" "PROMETHEUS_PORT=$PROMETHEUS_PORT" "GATEWAY_PORT=$GATEWAY_PORT" \
    "WORKER_TRAIN_TARGETS=$(scrape_targets "${TRAIN_COMPONENTS[@]}")" \
    "WORKER_SAMPLE_TARGETS=$(scrape_targets "${SAMPLE_COMPONENTS[@]}")" "INFRA=$INFRA"
  # No workers of a kind: an empty list, not one empty address (which Prometheus refuses).
  sed -i 's/\[""\]/[]/' "$CONF/prometheus.yml"
  CMD=(prometheus --config.file="$CONF/prometheus.yml" --storage.tsdb.path="$DATA/prometheus"
       --web.listen-address="127.0.0.1:$PROMETHEUS_PORT")
  if [[ -d /etc/prometheus/consoles ]]; then
    CMD+=(--web.console.templates=/etc/prometheus/consoles --web.console.libraries=/etc/prometheus/console_libraries)
  fi
}

# 127.0.0.1:P1", "127.0.0.1:P2 …: the workers' metrics endpoints, for a quoted placeholder of a YAML list.
scrape_targets() {
  local name out=""
  for name in "$@"; do out+="${out:+\", \"}127.0.0.1:$(worker_metrics_port "$name")"; done
  echo "$out"
}

prometheus_ready() { curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"; }

# ---- build and token ------------------------------------------------------------------------------

# Packages infra, the gateway and the workers when a jar is missing (offline first, online once).
ensure_built() {
  local modules=(infra gateway) missing=0 jar
  for jar in "$KAFKA_LIB" "$S3PROXY_JAR" "$GATEWAY_JAR"; do [[ -e $jar ]] || missing=1; done
  for m in worker-train worker-sample; do
    [[ -f $REPO/$m/pom.xml ]] || continue
    modules+=("$m")
    [[ -f $REPO/$m/target/scoregen-$m.jar ]] || missing=1
  done
  ((missing)) || return 0
  local IFS=,
  local mvn=("$REPO/mvnw" -B -q -f "$REPO/pom.xml" package -DskipTests -pl "${modules[*]}" -am)
  say "building ${modules[*]} (once; ./mvnw package -DskipTests)..."
  "${mvn[@]}" -o || { say "offline build failed, retrying online..."; "${mvn[@]}"; } || die "build failed"
}

# The gateway's bearer token: SCOREGEN_API_TOKEN, else one generated at the first "up" and kept.
api_token() {
  if [[ -n ${SCOREGEN_API_TOKEN:-} ]]; then
    printf '%s' "$SCOREGEN_API_TOKEN"
  elif [[ -f $CONF/api-token ]]; then
    cat "$CONF/api-token"
  else
    mkdir -p "$CONF"
    (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$CONF/api-token")
    cat "$CONF/api-token"
  fi
}

# ---- gateway -------------------------------------------------------------------------------------

gateway_available() {
  [[ -f $GATEWAY_JAR ]] || { say "gateway: $GATEWAY_JAR missing (./mvnw -B package -DskipTests -pl gateway -am)"; return 1; }
}

gateway_ports() { echo "$GATEWAY_PORT"; }

# Settings go into a file only this user can read (the token and S3 secret stay off the command line).
gateway_command() {
  (umask 077 && cat >"$CONF/gateway.properties" <<PROPS
quarkus.http.host=127.0.0.1
quarkus.http.port=$GATEWAY_PORT
scoregen.api.tokens=$(api_token)
scoregen.kafka.bootstrap-servers=127.0.0.1:$KAFKA_PORT
scoregen.s3.endpoint=http://127.0.0.1:$S3_PORT
scoregen.s3.access-key=$S3_ACCESS_KEY
scoregen.s3.secret-key=$S3_SECRET_KEY
scoregen.s3.bucket=$S3_BUCKET
PROPS
  )
  CMD=("$JAVA" -Xmx512m -Dquarkus.config.locations="$CONF/gateway.properties" -jar "$GATEWAY_JAR")
}

gateway_ready() {
  curl -sf --max-time 2 "http://127.0.0.1:$GATEWAY_PORT/q/health/ready" | grep -q '"status": *"UP"'
}

# ---- workers (worker-train, worker-sample, worker-KIND-i) ---------------------------------------

worker_module() { [[ $1 == worker-train* ]] && echo worker-train || echo worker-sample; }
worker_jar() { [[ $1 == worker-train* ]] && echo "$WORKER_TRAIN_JAR" || echo "$WORKER_SAMPLE_JAR"; }
# The kind's port for worker-KIND, + 10·(i − 1) for worker-KIND-i.
worker_metrics_port() {
  local base index=1
  [[ $1 == worker-train* ]] && base=$WORKER_TRAIN_METRICS_PORT || base=$WORKER_SAMPLE_METRICS_PORT
  [[ $1 =~ -([0-9])$ ]] && index=${BASH_REMATCH[1]}
  echo $((base + 10 * (index - 1)))
}

worker_available() {
  local jar
  jar=$(worker_jar "$1")
  [[ -f $jar ]] || { say "$1: $jar missing (./mvnw -B package -DskipTests -pl $(worker_module "$1") -am)"; return 1; }
}

worker_ports() { worker_metrics_port "$1"; }

# Settings as system properties (the workers' config lookup reads them first), the S3 secret from the
# environment; scoregen.stack.conf marks the process as this stack's (how "down" recognises it).
worker_command() {
  local name=$1 id
  id="$name-$(date +%s)-$RANDOM"
  echo "$id" >"$RUN/$name.id"
  mkdir -p "$DATA/work"
  export SCOREGEN_S3_ACCESS_KEY=$S3_ACCESS_KEY SCOREGEN_S3_SECRET_KEY=$S3_SECRET_KEY
  export SCOREGEN_WORKER_METRICS_HOST=127.0.0.1 SCOREGEN_WORKER_METRICS_PORT="$(worker_metrics_port "$name")"
  export DJL_OFFLINE=true DJL_CACHE_DIR=${DJL_CACHE_DIR:-$HOME/.cache/scoregen/djl}
  CMD=("$JAVA" -Xmx1g -Dai.djl.offline=true -Dscoregen.stack.conf="$CONF/"
       -Dscoregen.kafka.bootstrap-servers="127.0.0.1:$KAFKA_PORT"
       -Dscoregen.s3.endpoint="http://127.0.0.1:$S3_PORT" -Dscoregen.s3.bucket="$S3_BUCKET"
       -Dscoregen.worker.id="$id" -Dscoregen.worker.work-dir="$DATA/work/$id"
       -Dscoregen.worker.threads="$WORKER_THREADS" -jar "$(worker_jar "$name")")
}

# Ready when the worker has printed its ready line (it has joined its group and holds partitions).
worker_ready() {
  local id
  id=$(cat "$RUN/$1.id") || return 1
  grep -qF "scoregen worker ready: $id" "$LOGS/$1.log" 2>/dev/null
}


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
  call "$name" available || return 0
  for port in $(call "$name" ports); do
    port_in_use "$port" && die "$name: port $port on 127.0.0.1 is already in use (another process, or a stack with another SCOREGEN_HOME); free it or set its SCOREGEN_*_PORT"
  done
  call "$name" command
  nohup "${CMD[@]}" >>"$LOGS/$name.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$RUN/$name.pid"
  STARTED+=("$name")
  deadline=$((SECONDS + READY_TIMEOUT))
  until call "$name" ready; do
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
  ensure_built
  trap undo_partial_up EXIT
  local name
  for name in "${COMPONENTS[@]}"; do
    start "$name"
  done
  trap - EXIT
  say "stack up: kafka 127.0.0.1:$KAFKA_PORT, s3 http://127.0.0.1:$S3_PORT (bucket $S3_BUCKET), gateway http://127.0.0.1:$GATEWAY_PORT, home $SCOREGEN_HOME"
  say "API token: $(api_token) (export SCOREGEN_API_TOKEN to use another)"
  say "web console: http://127.0.0.1:$GATEWAY_PORT/ (sign in with the API token)"
}

# Also stops workers an earlier "up" started with larger SCOREGEN_*_WORKERS than this shell's.
down() {
  local i pid_file name
  for pid_file in "$RUN"/worker-*-[0-9].pid; do
    [[ -e $pid_file ]] || continue
    name=$(basename "$pid_file" .pid)
    [[ " ${COMPONENTS[*]} " == *" $name "* ]] || stop "$name"
  done
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    stop "${COMPONENTS[i]}"
  done
}

status() {
  local name all_up=0 port ports
  for name in "${COMPONENTS[@]}"; do
    if ! (call "$name" available) >/dev/null 2>&1; then
      say "$name: unavailable here (not installed or not built)"
      continue
    fi
    ports=$(call "$name" ports)
    if running "$name"; then
      for port in $ports; do
        if ! port_in_use "$port"; then
          say "$name: process $(pid_of "$name") alive but 127.0.0.1:$port not answering"
          all_up=3
          continue 2
        fi
      done
      if [[ -n $ports ]]; then
        say "$name: up (pid $(pid_of "$name"), 127.0.0.1:${ports// /,})"
      else
        say "$name: up (pid $(pid_of "$name"), id $(cat "$RUN/$name.id" 2>/dev/null))"
      fi
    else
      say "$name: down"
      all_up=3
    fi
  done
  if [[ -n ${SCOREGEN_API_TOKEN:-} || -f $CONF/api-token ]]; then
    say "gateway URL http://127.0.0.1:$GATEWAY_PORT, API token $(api_token)"
  fi
  return "$all_up"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  *) die "usage: $0 up|down|status" ;;
esac
