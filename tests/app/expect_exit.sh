#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: expect_exit.sh EXPECTED_CODE REGEX [REGEX ...] -- COMMAND [ARGS...]
#
# Runs COMMAND, then passes only when it exits with EXPECTED_CODE and, for every REGEX, a line of
# its standard output or standard error (taken together) matches it (grep -E). On failure it says
# which did not hold and prints what the command wrote, so the CTest log shows the real answer.
# Used by the CLI error tests in tests/CMakeLists.txt (offerscope_cli_error_test).

usage() {
    echo "usage: expect_exit.sh EXPECTED_CODE REGEX [REGEX ...] -- COMMAND [ARGS...]" >&2
    exit 2
}
[ "$#" -ge 4 ] || usage
expected=$1
shift
regexes=$(mktemp) || exit 2
output=$(mktemp) || exit 2
trap 'rm -f "$regexes" "$output"' EXIT
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    printf '%s\n' "$1" >>"$regexes"
    shift
done
[ "$#" -ge 2 ] && [ -s "$regexes" ] || usage
shift # the --

"$@" >"$output" 2>&1
code=$?

ok=1
if [ "$code" -ne "$expected" ]; then
    echo "FAIL: exit status $code, expected $expected" >&2
    ok=0
fi
while IFS= read -r regex; do
    if grep -Eq -e "$regex" "$output"; then
        echo "ok: the output matches: $regex"
    else
        echo "FAIL: no line of the output matches: $regex" >&2
        ok=0
    fi
done <"$regexes"
if [ "$ok" -eq 1 ]; then
    echo "ok: exit status $code"
    exit 0
fi
echo "command: $*" >&2
echo "--- what it wrote (stdout and stderr) ---" >&2
cat "$output" >&2
exit 1
