# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the set-up scripts: the Debian 12 packages each part of the project needs, and
# install_missing, which installs with apt-get (through sudo when not root) only what is missing.

# Build and test the core and the desktop application (Qt 6, QCustomPlot, GoogleTest, Google Benchmark),
# and run the window under Xvfb.
base_packages=(build-essential cmake pkg-config libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
    libpugixml-dev)
gui_packages=(qt6-base-dev qt6-qpa-plugins libgl-dev libqcustomplot-dev libqcustomplot2.1-qt6
    xvfb xauth fonts-dejavu-core)
# The test command also cross-builds the Windows live backend and runs its tests under Wine.
windows_packages=(g++-mingw-w64-x86-64-posix googletest wine wine64)
# Packaging (scripts/offerscope.sh package) and its checks, some of which the test suite runs too: the
# validators of the desktop entry and the AppStream metainfo, groff for the man pages, dpkg-shlibdeps
# (dpkg-dev, with file) for the package's dependencies, lintian.
package_packages=(dpkg-dev file lintian appstream desktop-file-utils groff-base)
# libFuzzer and its sanitizer runtimes.
fuzz_packages=(clang libclang-rt-14-dev)
# Instruction counts, and the script that writes docs/performance.md.
measure_packages=(valgrind python3)

install_missing() {
    local missing=()
    for p in "$@"; do
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
