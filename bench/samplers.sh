#!/usr/bin/env bash
# The sampler table of docs/samplers.md: NFE, samples/s, FD, precision and recall of every sampler and step
# count on one trained Fashion-MNIST model (io.scoregen.bench.SamplerTable), same seed for every row.
# Usage: bench/samplers.sh --model DIR --label NAME [--count 1000] [--small 256] [--batch 128] [--threads 2]
#        [--seed 1] [--cache DIR] [--draw-slow true|false]
# Writes bench/target/samplers/NAME.{tsv,md,png}. Environment: BENCH_XMX (Java heap, default 3g),
# DJL_CACHE_DIR (default ~/.cache/scoregen/djl), JAVA_HOME.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
echo "samplers.sh: building the benchmark and scoregen-core..." >&2
mvn=("$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" package -Dmaven.test.skip=true -pl bench -am)
"${mvn[@]}" -o >&2 || "${mvn[@]}" >&2

threads=2
for ((i = 1; i <= $#; i++)); do
  [[ ${!i} == --threads ]] && { j=$((i + 1)); threads=${!j}; }
done
export DJL_OFFLINE=true
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HOME/.cache/scoregen/djl}"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" "-Xmx${BENCH_XMX:-3g}" -Dai.djl.offline=true \
  -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")" \
  io.scoregen.bench.SamplerTable --out "$ROOT/bench/target/samplers" "$@"
