#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fuzzing with libFuzzer (clang and libclang-rt-14-dev, installed with apt-get when missing):
#   scripts/fuzz.sh [SECONDS] [TARGET...]   build the fuzz targets in build-fuzz/, write the seed corpus
#                                           (lessons and traces), run each target SECONDS (default 60)
# Targets: scenario, access-trace, operations, etl, trace-xml. Same as scripts/hardening.sh fuzz.
exec "$(dirname "${BASH_SOURCE[0]}")/hardening.sh" fuzz "$@"
