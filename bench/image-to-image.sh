#!/usr/bin/env bash
# The image-to-image table of docs/conditional.md: a Palette inpaint (or uncrop) model against the replacement
# method on an unconditional model of the same size and budget (io.scoregen.bench.ImageToImageTable).
# Usage: bench/image-to-image.sh --palette DIR --unconditional DIR [--count 1000] [--sampler JSON] [--batch 100]
#        [--threads 2] [--seed 1]
# Writes bench/target/image-to-image/table.{md,tsv} and grid.png. Environment: as bench/java.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/bench/java.sh" io.scoregen.bench.ImageToImageTable --out "$ROOT/bench/target/image-to-image" "$@"
