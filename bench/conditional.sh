#!/usr/bin/env bash
# The class-conditional table of docs/conditional.md: FD and per-class accuracy of one class-conditional
# Fashion-MNIST model's samples against the guidance weight W (io.scoregen.bench.ConditionalTable).
# Usage: bench/conditional.sh --model DIR [--per-class 100] [--weights 0,1,2,4] [--sampler JSON] [--batch 100]
#        [--threads 2] [--seed 1]
# Writes bench/target/conditional/table.{md,tsv} and grid-w<W>.png. Environment: as bench/java.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/bench/java.sh" io.scoregen.bench.ConditionalTable --out "$ROOT/bench/target/conditional" "$@"
