#!/usr/bin/env bash
# The platform benchmark of the README: the local stack (infra/bin/stack.sh) on its own home and free ports,
# measured from outside: sample-job scaling with 1 and 2 sample workers, gateway submissions with wrk, and one
# large submission's answer time and the gateway's peak RSS. Usage: bench/platform.sh [--count 100000]
# [--shard-size 1000] [--steps 100] [--wrk-seconds 10] [--wrk-connections 8] [--large-count 1000000]
# [--large-shard-size 10] [--phases scaling,submissions,large,finished]. Needs python3 and, for the
# submission figures, wrk (apt-get install wrk).
# Writes bench/target/platform/platform.json and prints the table.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec /usr/bin/python3 "$ROOT/bench/platform_bench.py" "$@"
