#!/usr/bin/env bash
# Java (DJL, the product's code) vs Python (Debian's python3-torch) on the same U-Net, DSM train step
# and PC sample step: batch 64, equal threads, same step counts, one after the other in this invocation.
# Usage: bench/run.sh [--threads N] [--warmup W] [--steps S] [--batch B]    (defaults 2, 5, 30, 64)
# Environment: BENCH_XMX (Java heap, default 1g), DJL_CACHE_DIR (default ~/.cache/scoregen/djl),
# PYTHON (default /usr/bin/python3: the interpreter with python3-torch), JAVA_HOME.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
THREADS=2 WARMUP=5 STEPS=30 BATCH=64
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) THREADS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --steps) STEPS="$2"; shift 2 ;;
    --batch) BATCH="$2"; shift 2 ;;
    *) echo "unknown option $1 (expected --threads, --warmup, --steps, --batch)" >&2; exit 2 ;;
  esac
done
PYTHON="${PYTHON:-/usr/bin/python3}"
if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "run.sh: $PYTHON cannot import torch; install Debian's python3-torch (apt-get install python3-torch)" >&2
  exit 1
fi

echo "run.sh: building the benchmark and scoregen-core..." >&2
mvn=("$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" package -Dmaven.test.skip=true -pl bench -am)
# Offline first (nothing to download once the local repository is warm), then online once.
"${mvn[@]}" -o >&2 || "${mvn[@]}" >&2

OUT="$ROOT/bench/target/results"
mkdir -p "$OUT"
ARGS=(--threads "$THREADS" --warmup "$WARMUP" --steps "$STEPS" --batch "$BATCH")

echo "run.sh: Java, ${THREADS} thread(s), batch ${BATCH}, ${WARMUP} warm-up + ${STEPS} timed steps each..." >&2
export DJL_OFFLINE=true
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HOME/.cache/scoregen/djl}"
"${JAVA_HOME:+$JAVA_HOME/bin/}java" "-Xmx${BENCH_XMX:-1g}" -Dai.djl.offline=true \
  -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")" \
  io.scoregen.bench.UnetBench "${ARGS[@]}" >"$OUT/java.txt" 2>"$OUT/java.log" \
  || { cat "$OUT/java.log" >&2; exit 1; }

echo "run.sh: Python, same settings..." >&2
"$PYTHON" "$ROOT/bench/unet.py" "${ARGS[@]}" >"$OUT/python.txt" 2>"$OUT/python.log" \
  || { cat "$OUT/python.log" >&2; exit 1; }

value() { awk -v k="$2" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$1"; }
for key in params train_ms sample_ms peak_rss_train_mb peak_rss_mb; do
  [[ -n "$(value "$OUT/java.txt" "$key")" && -n "$(value "$OUT/python.txt" "$key")" ]] \
    || { echo "run.sh: '$key' missing from the output in $OUT" >&2; exit 1; }
done
if [[ "$(value "$OUT/java.txt" params)" != "$(value "$OUT/python.txt" params)" ]]; then
  echo "run.sh: parameter counts differ: the networks are not the same" >&2
  exit 1
fi

echo
echo "U-Net (compact, VP, 28x28x1): $(value "$OUT/java.txt" params) parameters in both; batch $BATCH, $THREADS thread(s), median of $STEPS steps after $WARMUP warm-up"
echo "Java:   $(value "$OUT/java.txt" engine)"
echo "Python: $(value "$OUT/python.txt" engine)"
awk -v jt="$(value "$OUT/java.txt" train_ms)" -v pt="$(value "$OUT/python.txt" train_ms)" \
    -v js="$(value "$OUT/java.txt" sample_ms)" -v ps="$(value "$OUT/python.txt" sample_ms)" \
    -v jr="$(value "$OUT/java.txt" peak_rss_mb)" -v pr="$(value "$OUT/python.txt" peak_rss_mb)" \
    -v jtr="$(value "$OUT/java.txt" peak_rss_train_mb)" -v ptr="$(value "$OUT/python.txt" peak_rss_train_mb)" 'BEGIN {
  printf "%-20s %10s %10s %12s %8s %6s\n", "", "Java", "Python", "Java/Python", "target", ""
  row("train ms/step", jt, pt, 1.0)
  row("sample ms/step", js, ps, 0.85)
  row("peak RSS MB", jr, pr, 1.5)
  printf "%-20s %10.1f %10.1f %12.2f\n", "(peak after train)", jtr, ptr, jtr / ptr
}
function row(name, j, p, target,   r) {
  r = j / p
  printf "%-20s %10.1f %10.1f %12.2f %8s %6s\n", name, j, p, r, "<= " target, (r <= target ? "met" : "MISSED")
}'
