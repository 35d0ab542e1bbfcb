#!/usr/bin/env bash
# Checks stack.sh end to end on free, non-default ports with its own SCOREGEN_HOME under infra/target:
# up → status (all up) → real use (S3 signed PUT/GET, Kafka topics) → down → status (all down).
# Whatever happens, everything it started is stopped on exit. Needs the jars: ./mvnw -B -pl infra -am package -DskipTests
set -euo pipefail

INFRA=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK=$INFRA/bin/stack.sh
export SCOREGEN_HOME=$INFRA/target/stack-check
rm -rf "$SCOREGEN_HOME"

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
export SCOREGEN_KAFKA_PORT=$(free_port) SCOREGEN_KAFKA_CONTROLLER_PORT=$(free_port)
export SCOREGEN_S3_PORT=$(free_port) SCOREGEN_PROMETHEUS_PORT=$(free_port) SCOREGEN_GATEWAY_PORT=$(free_port)
export SCOREGEN_WORKER_TRAIN_METRICS_PORT=$(free_port) SCOREGEN_WORKER_SAMPLE_METRICS_PORT=$(free_port)
export SCOREGEN_S3_ACCESS_KEY=check SCOREGEN_S3_SECRET_KEY="s3cr&t-$RANDOM"

trap '"$STACK" down >/dev/null 2>&1 || true' EXIT
fail() { echo "stack-check: FAILED: $*" >&2; exit 1; }

"$STACK" up
"$STACK" status || fail "status after up reports a component down"

body="stack-check $RANDOM"
curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --user "$SCOREGEN_S3_ACCESS_KEY:$SCOREGEN_S3_SECRET_KEY" \
  -H "Content-Type: text/plain" -X PUT --data-binary "$body" "http://127.0.0.1:$SCOREGEN_S3_PORT/scoregen/check/object.txt" >/dev/null \
  || fail "signed PUT to S3Proxy"
got=$(curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --user "$SCOREGEN_S3_ACCESS_KEY:$SCOREGEN_S3_SECRET_KEY" \
  "http://127.0.0.1:$SCOREGEN_S3_PORT/scoregen/check/object.txt") || fail "signed GET from S3Proxy"
[[ $got == "$body" ]] || fail "S3 returned '$got', expected '$body'"
grep -q "created \[scoregen.train" "$SCOREGEN_HOME/logs/kafka.log" || fail "TopicAdmin did not report creating the topics"
token=$(cat "$SCOREGEN_HOME/conf/api-token") || fail "no generated API token"
jobs=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$SCOREGEN_GATEWAY_PORT/v1/jobs") || fail "the gateway refused its own token"
grep -q '"items"' <<<"$jobs" || fail "unexpected job list: $jobs"
[[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SCOREGEN_GATEWAY_PORT/v1/jobs") == 401 ]] || fail "the gateway accepts requests without a token"

# Whole scrapes first: grep -q would close the pipe early and fail curl under pipefail.
for port in "$SCOREGEN_WORKER_TRAIN_METRICS_PORT" "$SCOREGEN_WORKER_SAMPLE_METRICS_PORT"; do
  scrape=$(curl -sf "http://127.0.0.1:$port/metrics") || fail "no worker metrics on 127.0.0.1:$port/metrics"
  grep -q '^scoregen_worker_tasks_in_progress' <<<"$scrape" || fail "worker scrape on $port lacks the task gauge"
done
scrape=$(curl -sf "http://127.0.0.1:$SCOREGEN_GATEWAY_PORT/q/metrics") || fail "no gateway metrics on /q/metrics"
grep -q '^scoregen_gateway_jobs_submitted_total' <<<"$scrape" || fail "gateway scrape lacks the submission counter"

again=$("$STACK" up) || fail "a second up failed"
grep -q "kafka: already running" <<<"$again" || fail "a second up should find kafka running: $again"
if "$STACK" status >/dev/null; then :; else fail "status changed after a second up"; fi

"$STACK" down
if "$STACK" status; then fail "status after down reports components up"; fi
for f in "$SCOREGEN_HOME"/run/*.pid; do
  [[ -e $f ]] && fail "pid file left: $f"
done
echo "stack-check: OK"
