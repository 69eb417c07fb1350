#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Hardening runs on Debian 12 (CI runs both after the test suite):
#   scripts/hardening.sh sanitize            build everything with ASan + UBSan (preset asan-ubsan, build-asan/)
#                                            and run the whole test suite under them
#   scripts/hardening.sh fuzz [SECONDS] [TARGET...]
#                                            build the libFuzzer targets with clang (preset fuzz, build-fuzz/),
#                                            write their seed corpus and run each for SECONDS (default 60)
#   scripts/hardening.sh monkey [SEEDS] [FIRST]
#                                            the GUI monkey (tests/widgets/tst_monkey.cpp) under ASan + UBSan on
#                                            SEEDS new seeds from FIRST (default 20 from a number of the date);
#                                            every seed that fails is appended to tests/widgets/monkey-seeds.txt
#                                            so the test suite replays it from then on
# Fuzz targets: scenario, access-trace, operations, etl, trace-xml. A crash input lands in build-fuzz/artifacts/<target>/;
# once the bug is fixed, keep it in tests/fuzz/regressions/<target>/ (the test suite replays that folder).
# OFFERSCOPE_JOBS sets the build parallelism (default: all cores).
# Packages are installed with apt-get (through sudo when not root) only when missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="${OFFERSCOPE_JOBS:-$(nproc)}"
# shellcheck source=scripts/packages.sh
. "$here/scripts/packages.sh"

sanitize() {
    install_missing "${base_packages[@]}" "${gui_packages[@]}"
    cd "$here"
    cmake --preset asan-ubsan >/dev/null
    cmake --build --preset asan-ubsan --parallel "$jobs"
    # The test preset sets QT_QPA_PLATFORM=offscreen and the sanitizer options (LSan suppressions:
    # tests/sanitizers/lsan.supp, system libraries only).
    ctest --preset asan-ubsan --parallel "$jobs"
}

fuzz() {
    local seconds="${1:-60}"
    [ $# -gt 0 ] && shift
    local targets=("$@")
    [ ${#targets[@]} -eq 0 ] && targets=(scenario access-trace operations etl trace-xml)
    install_missing "${base_packages[@]}" "${fuzz_packages[@]}"
    cd "$here"
    local build="$here/build-fuzz"
    cmake --preset fuzz >/dev/null
    local executables=(offerscope-fuzz-seeds)
    for t in "${targets[@]}"; do executables+=("offerscope-fuzz-$t"); done
    cmake --build --preset fuzz --parallel "$jobs" --target "${executables[@]}"
    # The seeds come from the lessons and traces; the fuzzer's own finds accumulate in corpus/.
    "$build/tests/fuzz/offerscope-fuzz-seeds" "$here" "$build/seeds"

    local failed=() summary=()
    for t in "${targets[@]}"; do
        local max_len=4096
        [ "$t" = scenario ] && max_len=16384
        [ "$t" = access-trace ] && max_len=8192
        [ "$t" = trace-xml ] && max_len=16384
        local extra=()
        [ -f "$here/tests/fuzz/$t.dict" ] && extra+=(-dict="$here/tests/fuzz/$t.dict")
        local corpus=("$build/corpus/$t" "$build/seeds/$t")
        [ -d "$here/tests/fuzz/regressions/$t" ] && corpus+=("$here/tests/fuzz/regressions/$t")
        mkdir -p "$build/corpus/$t" "$build/artifacts/$t"
        local log="$build/fuzz-$t.log"
        echo "== fuzzing $t for ${seconds}s (log: $log)"
        local status=0
        ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
            "$build/tests/fuzz/offerscope-fuzz-$t" "${corpus[@]}" -max_total_time="$seconds" -max_len="$max_len" \
            -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/$t/" "${extra[@]}" \
            >"$log" 2>&1 || status=$?
        local runs rate
        runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
        rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
        summary+=("$(printf '%-13s %10s runs %8s exec/s  %s' "$t" "${runs:-?}" "${rate:-?}" \
            "$([ $status -eq 0 ] && echo ok || echo "FAILED (exit $status)")")")
        if [ $status -ne 0 ]; then
            failed+=("$t")
            grep -E "ERROR|broken promise|SUMMARY|Test unit written|^ *#[0-9]+ |terminate|what\(\)|Assertion" "$log" \
                | head -40 >&2 || true
            # The input itself, so that a failure on a machine that is gone can be replayed here:
            # base64 -d > input && build-fuzz/tests/fuzz/offerscope-fuzz-$t input
            local input
            for input in "$build/artifacts/$t"/*; do
                [ -f "$input" ] && [ "$(stat -c %s "$input")" -le 8192 ] || continue
                echo "input $(basename "$input") (base64):" >&2
                base64 -w 120 "$input" >&2
            done
        fi
    done
    printf '%s\n' "${summary[@]}"
    if [ ${#failed[@]} -ne 0 ]; then
        echo "fuzzing found problems in: ${failed[*]} (inputs in $build/artifacts/)" >&2
        return 1
    fi
}

monkey() {
    local count="${1:-20}"
    local first="${2:-$(( $(date +%s) % 1000000 + 1000 ))}"
    install_missing "${base_packages[@]}" "${gui_packages[@]}"
    cd "$here"
    cmake --preset asan-ubsan >/dev/null
    cmake --build --preset asan-ubsan --parallel "$jobs" --target offerscope-tests-monkey
    local seeds="$here/tests/widgets/monkey-seeds.txt" failed=()
    for ((seed = first; seed < first + count; ++seed)); do
        if QT_QPA_PLATFORM=offscreen LSAN_OPTIONS="suppressions=$here/tests/sanitizers/lsan.supp" \
            UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" OFFERSCOPE_MONKEY_SEED="$seed" \
            "$here/build-asan/tests/offerscope-tests-monkey" --gtest_filter="*seed_$seed" >"$here/build-asan/monkey-$seed.log" 2>&1; then
            echo "seed $seed: ok"
        else
            echo "seed $seed: FAILED (log: build-asan/monkey-$seed.log); kept in tests/widgets/monkey-seeds.txt" >&2
            grep -A3 "Failure\|ERROR: AddressSanitizer\|runtime error" "$here/build-asan/monkey-$seed.log" | head -20 >&2 || true
            printf '# %s: found by scripts/hardening.sh monkey; say what it found once it is fixed\n%s\n' "$(date +%F)" "$seed" >>"$seeds"
            failed+=("$seed")
        fi
    done
    [ ${#failed[@]} -eq 0 ]
}

case "${1:-}" in
sanitize)
    sanitize
    ;;
monkey)
    shift
    monkey "$@"
    ;;
fuzz)
    shift
    fuzz "$@"
    ;;
*)
    echo "usage: $0 sanitize | fuzz [SECONDS] [TARGET...] | monkey [SEEDS] [FIRST]" >&2
    exit 2
    ;;
esac
