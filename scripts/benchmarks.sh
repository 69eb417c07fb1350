#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every benchmark and writes docs/performance.md (figures, machine, date):
#   scripts/benchmarks.sh            install what is missing, build Release (build-release/), run the engine
#                                    benchmarks (Google Benchmark, 1,000,000 allocations), the window's
#                                    (100,000 allocations, offscreen), the import of a 5,000,000-event
#                                    recording (offerscope-bench-trace) and the instruction counts
#                                    (scripts/callgrind-check.sh --report), then write docs/performance.md
#   scripts/benchmarks.sh --no-doc   the same, without writing the document
# The raw results stay in build-release/bench-results/ (Google Benchmark JSON and the printed reports).
# This machine is shared and noisy: compare medians over runs, and instruction counts for regressions.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/packages.sh
. "$here/scripts/packages.sh"
build_dir="${OFFERSCOPE_BUILD_DIR:-$here/build-release}"
write_doc=1
case "${1:-}" in
"") ;;
--no-doc) write_doc=0 ;;
*)
    echo "usage: $0 [--no-doc]" >&2
    exit 2
    ;;
esac

install_missing "${base_packages[@]}" "${gui_packages[@]}" "${measure_packages[@]}"
cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)" --target offerscope-bench-engine offerscope-bench-gui offerscope-bench-trace

results="$build_dir/bench-results"
mkdir -p "$results"
"$build_dir/tests/bench/offerscope-bench-engine" --benchmark_out="$results/engine.json" \
    --benchmark_out_format=json | tee "$results/engine.txt"
echo
QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" "$build_dir/tests/bench/offerscope-bench-gui" \
    --benchmark_out="$results/gui.json" --benchmark_out_format=json | tee "$results/gui.txt"
echo
"$build_dir/tests/bench/offerscope-bench-trace" --file "$results/bench-trace.etl" | tee "$results/trace.txt"
echo
OFFERSCOPE_BUILD_DIR="$build_dir" "$here/scripts/callgrind-check.sh" --report | tee "$results/callgrind.txt"

if [ "$write_doc" = 1 ]; then
    python3 "$here/scripts/write_performance.py" "$results" "$here/docs/performance.md"
    echo "written: docs/performance.md"
fi
