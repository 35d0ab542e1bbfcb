#!/usr/bin/env bash
# Builds the benchmark module (and scoregen-core; tests skipped, nothing installed) and runs one of its
# main classes with the product's engine settings: bench/java.sh CLASS [ARGS...], where ARGS may hold
# --threads N (libtorch intra-op threads, default 2; also passed on to CLASS).
# Environment: BENCH_XMX (Java heap, default 3g), DJL_CACHE_DIR (default ~/.cache/scoregen/djl), JAVA_HOME.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
main="$1"
shift
echo "java.sh: building the benchmark and scoregen-core..." >&2
mvn=("$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" package -Dmaven.test.skip=true -pl bench -am)
# Offline first (nothing to download once the local repository is warm), then online once.
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
  "$main" "$@"
