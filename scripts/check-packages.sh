#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CI's proof that the packages of scripts/package.sh work on this machine (.ci/run calls it after them):
#   the .deb   installed with apt; the installed offerscope-cli runs a lesson from the installed data
#              folder; the installed offerscope starts under Xvfb on a lesson built into it and saves a
#              screenshot; the desktop entry and its icon are where the menu looks; then the package is
#              removed and nothing of it may be left.
#   the zip    unpacked into an empty folder; offerscope-cli.exe runs from there under Wine (a lesson,
#              the list of live sources, and a probe run that shows what Wine refuses).
# Output: build/packages/installed-offerscope.png and the log on standard output.
set -euo pipefail
# (Pipelines end in "grep -c ... >/dev/null", not "grep -q": -q stops reading at the first match, and
# under pipefail the writer's broken pipe would fail the check.)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${OFFERSCOPE_BUILD_DIR:-$here/build}/packages"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install the package" >&2; exit 2; }
    sudo="sudo"
fi
fail() {
    echo "check-packages: $*" >&2
    exit 1
}
app_id=io.github.offerscope.OfferScope
lesson=01-first-offer-and-reclaim.jsonc

check_deb() {
    local deb
    deb="$(ls "$out"/offerscope_*_amd64.deb 2>/dev/null | head -1)"
    [ -n "$deb" ] || fail "no .deb in $out: run scripts/offerscope.sh package first"
    if dpkg-query -W -f='${Status}' offerscope 2>/dev/null | grep -c "install ok installed" >/dev/null; then
        fail "offerscope is installed already: remove it first (this check must see its own install)"
    fi
    echo "== installing $(basename "$deb")"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
    local files
    files="$(mktemp)"
    dpkg -L offerscope >"$files"
    echo "$(grep -c . "$files") paths installed"

    echo "== the installed offerscope-cli, from another folder"
    [ "$(command -v offerscope-cli)" = /usr/bin/offerscope-cli ] || fail "offerscope-cli is not /usr/bin/offerscope-cli"
    (cd / && offerscope-cli --version)
    (cd / && offerscope-cli run "/usr/share/offerscope/lessons/$lesson") | tail -1 | tee /dev/stderr \
        | grep -c "expectations held" >/dev/null || fail "the installed offerscope-cli run failed"
    (cd / && offerscope-cli run 02-three-priorities) | tail -1 | grep -c "expectations held" >/dev/null \
        || fail "the installed offerscope-cli did not find an installed lesson by its name"
    man -w offerscope-cli >/dev/null 2>&1 || [ -f /usr/share/man/man1/offerscope-cli.1.gz ] \
        || fail "no man page for offerscope-cli"

    echo "== the desktop menu: entry, program and icon"
    local entry=/usr/share/applications/$app_id.desktop
    [ -f "$entry" ] || fail "no desktop entry at $entry"
    desktop-file-validate "$entry"
    [ "$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$entry")" = offerscope ] || fail "the entry does not start offerscope"
    command -v offerscope >/dev/null || fail "offerscope is not on the PATH"
    [ "$(sed -n 's/^Icon=//p' "$entry")" = "$app_id" ] || fail "the entry's icon is not $app_id"
    [ -f "/usr/share/icons/hicolor/scalable/apps/$app_id.svg" ] || fail "no scalable icon"
    [ -f "/usr/share/icons/hicolor/48x48/apps/$app_id.png" ] || fail "no 48x48 icon"
    appstreamcli validate --no-net "/usr/share/metainfo/$app_id.metainfo.xml" >/dev/null \
        || fail "the installed metainfo does not validate"

    echo "== the installed offerscope under Xvfb, on lesson 3 as built into it"
    local config shot="$out/installed-offerscope.png"
    config="$(mktemp -d)"
    rm -f "$shot"
    (cd / && XDG_CONFIG_HOME="$config" xvfb-run -a -s "-screen 0 1600x1000x24" \
        offerscope :/lessons/03-auto-priority.jsonc --steps 14 --size 1600x1000 --screenshot "$shot" --report) \
        | grep -E "^position=" || fail "the installed offerscope did not report"
    [ -s "$shot" ] && [ "$(stat -c %s "$shot")" -gt 50000 ] || fail "no screenshot (or an empty one) at $shot"
    echo "screenshot: $shot ($(stat -c %s "$shot") bytes)"
    # And with no file at all: the first lesson, from the same resources.
    (cd / && XDG_CONFIG_HOME="$config" xvfb-run -a offerscope --report) | grep -c "^position=0/18" >/dev/null \
        || fail "offerscope without a file did not open lesson 1"
    rm -rf "$config"

    echo "== removing"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq offerscope >/dev/null
    local status
    status="$(dpkg-query -W -f='${Status}' offerscope 2>/dev/null || true)"
    case "$status" in "" | "unknown ok not-installed" | "deinstall ok not-installed") ;;
    *) fail "after apt remove, dpkg says: $status" ;;
    esac
    local left=0
    while IFS= read -r path; do
        # Folders shared with other packages (/usr, /usr/share/man/man1...) stay; files and our own
        # folders must go.
        if [ -e "$path" ] && { [ ! -d "$path" ] || [[ "$path" == *offerscope* ]] || [[ "$path" == *$app_id* ]]; }; then
            echo "left behind: $path" >&2
            left=$((left + 1))
        fi
    done <"$files"
    rm -f "$files"
    [ "$left" -eq 0 ] || fail "$left paths of the package are left after apt remove"
    echo "removed: nothing of the package is left"
}

check_zip() {
    local zip
    zip="$(ls "$out"/offerscope-cli-*-windows-x86_64.zip 2>/dev/null | head -1)"
    [ -n "$zip" ] || fail "no Windows zip in $out: run scripts/offerscope.sh package first"
    local dir
    dir="$(mktemp -d)"
    echo "== unpacking $(basename "$zip") into the empty folder $dir"
    (cd "$dir" && cmake -E tar xf "$zip")
    local top
    top="$(ls "$dir")"
    (cd "$dir/$top" && find . -type f | sort)
    # Only what is in the folder: no path into the MinGW tree for Wine to find DLLs in.
    unset WINEPATH
    cd "$dir/$top"
    "$here/scripts/wine-run.sh" ./offerscope-cli.exe --version
    "$here/scripts/wine-run.sh" ./offerscope-cli.exe run "lessons\\$lesson" | tail -1 | tee /dev/stderr \
        | grep -c "expectations held" >/dev/null || fail "offerscope-cli.exe did not run the lesson from its folder"
    "$here/scripts/wine-run.sh" ./offerscope-cli.exe lessons | tee /dev/stderr | grep -c "03-auto-priority.jsonc" >/dev/null \
        || fail "offerscope-cli.exe lessons did not list the lessons beside it"
    "$here/scripts/wine-run.sh" ./offerscope-cli.exe run 02-three-priorities | tail -1 | grep -c "expectations held" >/dev/null \
        || fail "offerscope-cli.exe did not find a lesson by its name"
    "$here/scripts/wine-run.sh" ./offerscope-cli.exe live | tee /dev/stderr | grep -c "Windows (D3DKMT) *available" >/dev/null \
        || fail "offerscope-cli.exe live did not list the Windows source"
    # What Wine refuses: it creates the probe resources but does not implement offers.
    "$here/scripts/wine-run.sh" ./offerscope-cli.exe live --source windows --probe 8MiB --pressure 16MiB \
        | tee /dev/stderr | grep -c "differs" >/dev/null || fail "the probe run under Wine did not show where it differs"
    cd "$here"
    rm -rf "$dir"
    echo "the zip runs from its own folder"
}

case "${1:-all}" in
all) check_deb && check_zip ;;
deb) check_deb ;;
windows) check_zip ;;
*) echo "usage: $0 [all|deb|windows]" >&2; exit 2 ;;
esac
