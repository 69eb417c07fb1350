#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# What must not regress, measured in instructions (valgrind --tool=callgrind): repeatable for the same
# binary and input whatever else the machine is doing, unlike timings on a shared 2-core machine.
#
#   scripts/callgrind-check.sh            build offerscope-bench-engine (Release, build-release/), count the
#                                         instructions of each fixed workload and compare them with
#                                         tests/bench/callgrind-baseline.txt: exit 1 if one grew by more than
#                                         the tolerance (OFFERSCOPE_CALLGRIND_TOLERANCE percent, default 3)
#   scripts/callgrind-check.sh --update   the same, then write the counts as the new baseline
#   scripts/callgrind-check.sh --report   the same, print only (never fails on a regression)
#
# Workloads (offerscope-bench-engine --callgrind-workload NAME), each counted inside one function:
#   replay    a 100,000-object texture-cache trace, 500,000 accesses (replayTrace: offer + reclaim paths)
#   pressure  budget cuts discarding 50,000 offers with the event log on (Simulator::setBudget: victim
#             choice, discards and their explanations)
#   read      the text of a 500,000-access trace read by TraceReader (lines parsed, ids numbered)
#   gui-frame 20 frames of the window at 100,000 allocations (offerscope-bench-gui --callgrind-frames:
#             a step, then MainWindow::refreshNow() and the event loop until idle, painting included;
#             the set-up before them is not counted)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/packages.sh
. "$here/scripts/packages.sh"
build_dir="${OFFERSCOPE_BUILD_DIR:-$here/build-release}"
baseline="$here/tests/bench/callgrind-baseline.txt"
tolerance="${OFFERSCOPE_CALLGRIND_TOLERANCE:-3}"
mode="${1:-check}"
case "$mode" in
check | --update | --report) ;;
*)
    echo "usage: $0 [--update | --report]" >&2
    exit 2
    ;;
esac

install_missing "${base_packages[@]}" "${gui_packages[@]}" valgrind
cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)" --target offerscope-bench-engine offerscope-bench-gui >/dev/null

declare -A collect=(
    [replay]='offerscope::replay::replayTrace*'
    [pressure]='offerscope::sim::Simulator::setBudget*'
    [read]='offerscope::replay::TraceReader::next*'
    [gui-frame]='*callgrindFrames*'
)
declare -A command=(
    [replay]="$build_dir/tests/bench/offerscope-bench-engine --callgrind-workload replay"
    [pressure]="$build_dir/tests/bench/offerscope-bench-engine --callgrind-workload pressure"
    [read]="$build_dir/tests/bench/offerscope-bench-engine --callgrind-workload read"
    [gui-frame]="$build_dir/tests/bench/offerscope-bench-gui --callgrind-frames 20"
)
workloads=(replay pressure read gui-frame)
# The window's settings start empty, and it draws on Qt's offscreen platform: the same frames everywhere.
config="$(mktemp -d)"
trap 'rm -rf "$config"' EXIT
out_dir="$build_dir/callgrind"
mkdir -p "$out_dir"

declare -A counted
for w in "${workloads[@]}"; do
    out="$out_dir/callgrind.out.$w"
    # shellcheck disable=SC2086 # the command is words on purpose
    XDG_CONFIG_HOME="$config" QT_QPA_PLATFORM=offscreen \
        valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect="${collect[$w]}" \
        ${command[$w]} >"$out_dir/$w.log" 2>&1 || {
        echo "callgrind run of '$w' failed:" >&2
        tail -20 "$out_dir/$w.log" >&2
        exit 1
    }
    counted[$w]="$(sed -n 's/^summary: *//p' "$out" | head -1)"
    [ -n "${counted[$w]}" ] || counted[$w]="$(sed -n 's/^totals: *//p' "$out" | head -1)"
done

regressed=()
printf '%-10s %16s %16s %9s\n' workload instructions baseline change
for w in "${workloads[@]}"; do
    base="$(awk -v w="$w" '$1 == w { print $2 }' "$baseline" 2>/dev/null || true)"
    if [ -z "$base" ]; then
        printf '%-10s %16s %16s %9s\n' "$w" "${counted[$w]}" - -
        continue
    fi
    change="$(awk -v n="${counted[$w]}" -v b="$base" 'BEGIN { printf "%+.2f%%", (n - b) * 100 / b }')"
    verdict=""
    if awk -v n="${counted[$w]}" -v b="$base" -v t="$tolerance" 'BEGIN { exit !(n > b * (1 + t / 100)) }'; then
        verdict="  REGRESSED (more than +$tolerance%)"
        regressed+=("$w")
    fi
    printf '%-10s %16s %16s %9s%s\n' "$w" "${counted[$w]}" "$base" "$change" "$verdict"
done

if [ "$mode" = --update ]; then
    {
        echo "# Instructions per workload (scripts/callgrind-check.sh), Release build with $(c++ --version | head -1)."
        echo "# Update with scripts/callgrind-check.sh --update when a change is meant to cost more, and say why."
        for w in "${workloads[@]}"; do echo "$w ${counted[$w]}"; done
    } >"$baseline"
    echo "baseline written: $baseline"
elif [ "$mode" = check ] && [ ${#regressed[@]} -ne 0 ]; then
    echo "instruction counts regressed: ${regressed[*]} (see $out_dir; callgrind_annotate shows where)" >&2
    exit 1
fi
