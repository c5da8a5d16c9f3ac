#!/bin/bash
# systemd-unit-test.sh — the built palisade-helper.service is a valid unit
# (systemd-analyze verify) and stays hardened: systemd's own exposure
# score at most 3.0 ("OK"). TAP on standard output.
#
# Usage: systemd-unit-test.sh UNIT HELPER
# ExecStart is pointed at HELPER, as verify wants the program to exist.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

if ! command -v systemd-analyze > /dev/null; then
    echo "1..0 # SKIP systemd-analyze is not installed"
    exit 0
fi

dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
unit="$dir/$(basename "$1")"
sed "s|^ExecStart=.*|ExecStart=$(realpath "$2")|" "$1" > "$unit"

echo "1..2"
status=0
if output=$(systemd-analyze verify --man=no "$unit" 2>&1) && [ -z "$output" ]; then
    echo "ok 1 - systemd-analyze verify"
else
    echo "not ok 1 - systemd-analyze verify"
    echo "$output" | sed 's/^/# /'
    status=1
fi
if output=$(systemd-analyze security --offline=yes --threshold=30 "$unit" 2>&1); then
    echo "ok 2 - exposure $(echo "$output" | sed -n 's/.*exposure level for .*: \([0-9.]*\).*/\1/p') is at most 3.0"
else
    echo "not ok 2 - exposure above 3.0"
    echo "$output" | sed 's/^/# /'
    status=1
fi
exit $status
