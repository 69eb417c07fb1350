#!/usr/bin/env bash
# Runs a program of the Windows (MinGW-w64) build under Wine: a private prefix, no Mono/Gecko
# prompts, quiet, on a virtual X display when there is none (D3D11 under Wine needs one).
# CMake uses it as the cross build's CMAKE_CROSSCOMPILING_EMULATOR, so ctest runs the .exe files.
set -euo pipefail
export WINEPREFIX="${OFFERSCOPE_WINEPREFIX:-${TMPDIR:-/tmp}/offerscope-wine-$(id -u)}"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
if [ ! -d "$WINEPREFIX" ]; then
    mkdir -p "$WINEPREFIX"
    # A new prefix: let wineboot finish (wineserver -w) before the first program, or DXGI may find no
    # adapter in that first run.
    wineboot --init >/dev/null 2>&1 || true
    wineserver -w || true
fi
if [ -z "${DISPLAY:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1024x768x24" wine "$@" 2> >(grep -v -e "wine32 is missing" -e "multiarch needs" -e "dpkg --add-architecture" -e "apt-get install wine32" -e "X connection to" >&2)
fi
exec wine "$@" 2> >(grep -v -e "wine32 is missing" -e "multiarch needs" -e "dpkg --add-architecture" -e "apt-get install wine32" -e "X connection to" >&2)
