#!/usr/bin/env bash
# The sampler table of docs/samplers.md: NFE, samples/s, FD, precision and recall of every sampler and step
# count on one trained Fashion-MNIST model (io.scoregen.bench.SamplerTable), same seed for every row.
# Usage: bench/samplers.sh --model DIR --label NAME [--count 1000] [--small 256] [--batch 128] [--threads 2]
#        [--seed 1] [--cache DIR] [--draw-slow true|false]
# Writes bench/target/samplers/NAME.{tsv,md,png}. Environment: as bench/java.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/bench/java.sh" io.scoregen.bench.SamplerTable --out "$ROOT/bench/target/samplers" "$@"
