# tap.sh — sourced by the shell tests that print TAP: check DESCRIPTION
# COMMAND… runs the command and prints "ok N - DESCRIPTION" or "not ok …";
# $failed is 1 once a check failed (the script's exit status), $n counts.
#
# SPDX-License-Identifier: GPL-3.0-or-later
n=0 failed=0
check() {
    local description=$1
    shift
    n=$((n + 1))
    if "$@"; then echo "ok $n - $description"; else echo "not ok $n - $description"; failed=1; fi
}
