#!/usr/bin/env bash
# OfferScope set-up in one command on Debian 12:
#   scripts/offerscope.sh run    install what is missing, build, open the window on a bundled lesson (simulator)
#   scripts/offerscope.sh test   install what is missing, build, run the whole test suite
#   scripts/offerscope.sh bench  install, build (Release), run the benchmarks and print their figures
# Packages are installed with apt-get (through sudo when not root) only when missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${OFFERSCOPE_BUILD_DIR:-$here/build}"
packages=(build-essential cmake pkg-config libgtest-dev libgmock-dev nlohmann-json3-dev
    qt6-base-dev qt6-qpa-plugins libgl-dev libqcustomplot-dev libqcustomplot2.1-qt6
    xvfb xauth fonts-dejavu-core)
# The test command also cross-builds the Windows live backend and runs its tests under Wine.
windows_packages=(g++-mingw-w64-x86-64-posix googletest wine wine64)

install_missing() {
    local missing=()
    for p in "${packages[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 2; }
        sudo="sudo"
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

configure_and_build() {
    local type="$1"
    shift
    cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
    cmake --build "$build_dir" --parallel "$(nproc)"
}

case "${1:-}" in
run)
    install_missing
    configure_and_build RelWithDebInfo -DOFFERSCOPE_WINDOWS_TESTS=OFF
    exec "$build_dir/app/gui/offerscope" "$here/resources/lessons/01-first-offer-and-reclaim.jsonc"
    ;;
test)
    install_missing "${windows_packages[@]}"
    configure_and_build RelWithDebInfo -DOFFERSCOPE_WINDOWS_TESTS=ON
    cd "$build_dir"
    ctest --output-on-failure --parallel "$(nproc)"
    ;;
bench)
    install_missing
    build_dir="${OFFERSCOPE_BUILD_DIR:-$here/build-release}"
    configure_and_build Release
    "$build_dir/tests/bench/offerscope-bench-engine"
    # The GUI benchmark exists when the GUI is built (OFFERSCOPE_BUILD_GUI); it needs no display.
    if [ -x "$build_dir/tests/bench/offerscope-bench-gui" ]; then
        echo
        QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" "$build_dir/tests/bench/offerscope-bench-gui"
    fi
    ;;
*)
    echo "usage: $0 run|test|bench" >&2
    exit 2
    ;;
esac
