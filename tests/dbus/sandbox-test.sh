#!/bin/bash
# sandbox-test.sh — "palisade-helper --sandbox" as an ordinary user, driven
# by "palisadectl VERB --sandbox" as that user; the machine's own firewall
# must not change. TAP on standard output.
#
# Usage: sandbox-test.sh HELPER PALISADECTL DOCUMENT
#
# Runs as root only to become another user (nobody) with a runtime directory
# of its own; the sandbox itself needs no privilege.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

if [ $# -ne 3 ]; then
    echo "usage: $0 HELPER PALISADECTL DOCUMENT" >&2
    exit 2
fi
if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP needs root to run the sandbox as another user"
    exit 0
fi

helper=$(realpath "$1")
palisadectl=$(realpath "$2")
document=$(realpath "$3")

run_dir=$(mktemp -d /tmp/palisade-sandbox-test.XXXXXX) || exit 1
chmod 755 "$run_dir"
runtime="$run_dir/runtime"
mkdir "$runtime"
chown nobody:nogroup "$runtime"
chmod 700 "$runtime"
. "$(dirname "$0")/../stop-helper.sh"

cleanup() {
    local status=$?
    stop_helper
    rm -rf "$run_dir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_user() {
    setpriv --reuid nobody --regid nogroup --clear-groups \
        env -u DBUS_SYSTEM_BUS_ADDRESS -u DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR="$runtime" "$@"
}

n=0
failed=0
check() {
    local description=$1
    shift
    n=$((n + 1))
    if "$@" > "$run_dir/out" 2>&1; then
        echo "ok $n - $description"
    else
        echo "not ok $n - $description"
        sed 's/^/# /' "$run_dir/out"
        failed=1
    fi
}

host_table() {
    nft list table inet palisade 2>&1
    echo "status $?"
}

sandbox_table() {
    nsenter -t "$helper_pid" -n nft list table inet palisade
}

disable_enable() {
    as_user "$palisadectl" disable --sandbox && sandbox_table | grep -q dormant &&
        as_user "$palisadectl" enable --sandbox && ! sandbox_table | grep -q dormant
}

export_script() {
    as_user "$palisadectl" export "$document" > "$run_dir/export.nft" &&
        grep -q "table inet palisade" "$run_dir/export.nft"
}

no_sandbox_message() {
    local output
    if output=$(as_user "$palisadectl" status --sandbox 2>&1); then
        return 1
    fi
    echo "$output"
    echo "$output" | grep -q "No sandbox is running"
}

echo "1..14"
host_before=$(host_table)

# Not through as_user: $! must be the helper itself (setpriv and env exec).
setpriv --reuid nobody --regid nogroup --clear-groups \
    env -u DBUS_SYSTEM_BUS_ADDRESS -u DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR="$runtime" \
    "$helper" --sandbox > "$run_dir/helper.out" 2> "$run_dir/helper.err" &
helper_pid=$!
for _ in $(seq 100); do
    [ -s "$runtime/palisade-sandbox/bus" ] && break
    sleep 0.1
done
check "the sandbox publishes its bus address" test -s "$runtime/palisade-sandbox/bus"
check "its files are private" test "$(stat -c %a "$runtime/palisade-sandbox")" = 700
check "apply" as_user "$palisadectl" apply --sandbox "$document"
check "status" as_user "$palisadectl" status --sandbox
check "the sandbox's own network namespace has the table" sandbox_table
check "counters" as_user "$palisadectl" counters --sandbox
check "show-active" as_user "$palisadectl" show-active --sandbox -o "$runtime/active.fwdoc"
check "the active document is valid" as_user "$palisadectl" validate "$runtime/active.fwdoc"
check "disable and enable" disable_enable
check "the machine's firewall did not change" test "$(host_table)" = "$host_before"

check "Ctrl+C stops the helper cleanly (status 0: nothing a sanitizer reports)" stop_helper
check "Ctrl+C removes the sandbox's files" test ! -e "$runtime/palisade-sandbox"
check "palisadectl says when no sandbox runs" no_sandbox_message
check "export compiles without the helper" export_script

if [ "$failed" != 0 ]; then
    sed 's/^/# helper: /' "$run_dir/helper.err"
fi
exit "$failed"
