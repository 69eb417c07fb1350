#!/usr/bin/env bash
# OfferScope set-up in one command on Debian 12:
#   scripts/offerscope.sh run    install what is missing, build, open the window on a bundled lesson (simulator)
#   scripts/offerscope.sh test   install what is missing, build, run the whole test suite
#   scripts/offerscope.sh bench  install, build (Release), run the benchmarks, write docs/performance.md
#   scripts/offerscope.sh package [deb|windows]
#                                build/packages/offerscope_<version>_amd64.deb (lintian-checked) and the
#                                Windows zip of offerscope-cli.exe (scripts/package.sh)
# Packages are installed with apt-get (through sudo when not root) only when missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${OFFERSCOPE_BUILD_DIR:-$here/build}"
# shellcheck source=scripts/packages.sh
. "$here/scripts/packages.sh"
packages=("${base_packages[@]}" "${gui_packages[@]}")

configure_and_build() {
    local type="$1"
    shift
    cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
    cmake --build "$build_dir" --parallel "$(nproc)"
}

case "${1:-}" in
run)
    install_missing "${packages[@]}"
    configure_and_build RelWithDebInfo -DOFFERSCOPE_WINDOWS_TESTS=OFF
    exec "$build_dir/app/gui/offerscope" "$here/resources/lessons/01-first-offer-and-reclaim.jsonc"
    ;;
test)
    install_missing "${packages[@]}" "${windows_packages[@]}" "${package_packages[@]}"
    configure_and_build RelWithDebInfo -DOFFERSCOPE_WINDOWS_TESTS=ON
    cd "$build_dir"
    ctest --output-on-failure --parallel "$(nproc)" --timeout 900
    ;;
package)
    shift
    exec "$here/scripts/package.sh" "$@"
    ;;
bench)
    # Every benchmark, the instruction counts, and docs/performance.md written from them.
    shift
    exec "$here/scripts/benchmarks.sh" "$@"
    ;;
*)
    echo "usage: $0 run|test|bench|package" >&2
    exit 2
    ;;
esac
