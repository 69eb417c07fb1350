#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The packages of OfferScope (scripts/offerscope.sh package [deb|windows]):
#   build/packages/offerscope_<version>_amd64.deb                 the whole program for Debian 12, its
#                                                                  dependencies computed by dpkg-shlibdeps,
#                                                                  checked by lintian (no errors allowed)
#   build/packages/offerscope-cli-<version>-windows-x86_64.zip    offerscope-cli.exe (MinGW-w64 cross
#                                                                  build) with the lessons, the sample trace
#                                                                  and the recording profile
# Both come from the build folder the test command uses (build/, same options), so after
# scripts/offerscope.sh test nothing is compiled again. scripts/check-packages.sh installs and runs them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${OFFERSCOPE_BUILD_DIR:-$here/build}"
# shellcheck source=scripts/packages.sh
. "$here/scripts/packages.sh"
what="${1:-all}"
case "$what" in all | deb | windows) ;; *)
    echo "usage: $0 [all|deb|windows]" >&2
    exit 2
    ;;
esac

install_missing "${base_packages[@]}" "${gui_packages[@]}" "${windows_packages[@]}" "${package_packages[@]}"
cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOFFERSCOPE_WINDOWS_TESTS=ON >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"
out="$build_dir/packages"
mkdir -p "$out"

if [ "$what" != windows ]; then
    rm -f "$out"/offerscope_*.deb
    (cd "$build_dir" && cpack -G DEB >/dev/null)
    deb="$(ls "$out"/offerscope_*_amd64.deb)"
    echo "== $deb ($(du -h "$deb" | cut -f1))"
    dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Depends\|Recommends\|Installed-Size\): /  \1: /p'
    echo "== lintian"
    # Errors fail the package; warnings and notes are printed for the record (README, "Installing").
    lintian --fail-on error --display-info "$deb" | tee "$out/lintian.txt"
    echo "lintian: $(grep -c '^E:' "$out/lintian.txt" || true) errors, $(grep -c '^W:' "$out/lintian.txt" || true) warnings"
fi

if [ "$what" != deb ]; then
    # The cross build (build/windows, made by the build above) packs its own install: the .exe, the
    # MinGW runtime DLLs it imports (none: it is linked statically) and the data.
    rm -f "$out"/offerscope-cli-*-windows-x86_64.zip
    (cd "$build_dir/windows" && cpack -G ZIP -V | sed -n "s/^CPack Verbose: //p" | grep -i "dll" || true)
    cp "$build_dir"/windows/packages/offerscope-cli-*-windows-x86_64.zip "$out/"
    zip="$(ls "$out"/offerscope-cli-*-windows-x86_64.zip)"
    echo "== $zip ($(du -h "$zip" | cut -f1))"
fi
