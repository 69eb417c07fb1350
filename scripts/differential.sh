#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The long differential job: builds offerscope-differential (Release) and runs it. It runs seed after seed of
# random operations, valid and invalid calls mixed, on the simulator and on the plain reference model of
# tests/reference, and compares every status, reclaim result and statistic after every operation.
#   scripts/differential.sh                                  5,000,000 operations from seed 1
#   scripts/differential.sh --ops 50000000 --seed 1000000    longer, from another seed
#   scripts/differential.sh --seed 664 --ops 300             one seed (fewer operations than --per-seed)
# On a difference it prints the seed, the operation in words, both values and the command that reproduces
# it, and exits with 1. Once the cause is fixed, keep the seed in tests/reference/regression-seeds.txt (the
# test suite re-runs every seed listed there).
# It builds in the Release tree the benchmarks and scripts/callgrind-check.sh use (build-release/; OFFERSCOPE_BUILD_DIR
# sets another), installing what is missing; OFFERSCOPE_JOBS sets the build parallelism (default: all cores).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${OFFERSCOPE_BUILD_DIR:-$here/build-release}"
jobs="${OFFERSCOPE_JOBS:-$(nproc)}"
# shellcheck source=scripts/packages.sh
. "$here/scripts/packages.sh"

install_missing "${base_packages[@]}" "${gui_packages[@]}"
cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" --target offerscope-differential --parallel "$jobs"
exec "$build_dir/tests/reference/offerscope-differential" "$@"
