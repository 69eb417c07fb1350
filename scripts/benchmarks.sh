#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every benchmark and writes docs/performance.md (figures, machine, date):
#   scripts/benchmarks.sh            install what is missing, build Release (build-release/), run the engine
#                                    benchmarks (Google Benchmark, 1,000,000 allocations), the window's
#                                    (10,000, 100,000 and 1,000,000 allocations, offscreen), the import of a 5,000,000-event
#                                    recording (offerscope-bench-trace), the cold start of the window
#                                    (offerscope --startup-time, 7 runs) and the instruction counts
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
cmake --build "$build_dir" --parallel "$(nproc)" --target offerscope-bench-engine offerscope-bench-gui offerscope-bench-trace \
    offerscope

results="$build_dir/bench-results"
mkdir -p "$results"
"$build_dir/tests/bench/offerscope-bench-engine" --benchmark_out="$results/engine.json" \
    --benchmark_out_format=json | tee "$results/engine.txt"
echo
# The window at 100,000 allocations (the detailed report), then at 10,000 and 1,000,000: the same scenario
# scaled, so that what grows with the number of allocations shows (1M: fewer steps and jumps, or the run
# takes long).
QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" "$build_dir/tests/bench/offerscope-bench-gui" \
    --benchmark_out="$results/gui.json" --benchmark_out_format=json | tee "$results/gui.txt"
echo
QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" "$build_dir/tests/bench/offerscope-bench-gui" --resources 100 \
    --benchmark_out="$results/gui-10000.json" --benchmark_out_format=json | tee "$results/gui-10000.txt"
echo
QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" "$build_dir/tests/bench/offerscope-bench-gui" --resources 10000 \
    --steps 60 --jumps 12 --benchmark_out="$results/gui-1000000.json" --benchmark_out_format=json \
    | tee "$results/gui-1000000.txt"
echo
"$build_dir/tests/bench/offerscope-bench-trace" --file "$results/bench-trace.etl" | tee "$results/trace.txt"
echo
# Cold start: the program's own measure (main() to the first painted frame of lesson 1, offscreen) and the
# whole process from exec to exit, 7 times each, fresh settings every time.
: >"$results/startup.txt"
for run in 1 2 3 4 5 6 7; do
    config="$(mktemp -d)"
    start=$(date +%s%N)
    XDG_CONFIG_HOME="$config" QT_QPA_PLATFORM=offscreen "$build_dir/app/gui/offerscope" --startup-time 2>/dev/null \
        >>"$results/startup.txt"
    end=$(date +%s%N)
    echo "process: $(((end - start) / 1000)) us from exec to exit" >>"$results/startup.txt"
    rm -rf "$config"
done
grep -E "^(startup|process):" "$results/startup.txt"
echo
OFFERSCOPE_BUILD_DIR="$build_dir" "$here/scripts/callgrind-check.sh" --report | tee "$results/callgrind.txt"

if [ "$write_doc" = 1 ]; then
    python3 "$here/scripts/write_performance.py" "$results" "$here/docs/performance.md"
    echo "written: docs/performance.md"
fi
