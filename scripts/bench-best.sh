#!/usr/bin/env bash
# Best of N runs of the engine benchmark (this machine is shared and noisy): prints the best engine and
# plain-LRU rates seen. Usage: scripts/bench-best.sh [N] [bench args...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="${OFFERSCOPE_BENCH:-$here/build-release/tests/bench/offerscope-bench-engine}"
runs="${1:-5}"
shift || true
best_engine=0
best_lru=0
for _ in $(seq "$runs"); do
    out="$("$bench" "$@")"
    engine=$(echo "$out" | awk '/OfferScope engine replay/ {print $4}')
    lru=$(echo "$out" | awk '/plain LRU simulator/ {print $4}')
    best_engine=$(echo "$engine $best_engine" | awk '{print ($1 > $2) ? $1 : $2}')
    best_lru=$(echo "$lru $best_lru" | awk '{print ($1 > $2) ? $1 : $2}')
done
echo "best of $runs: engine $best_engine M accesses/s, plain LRU $best_lru M accesses/s"
