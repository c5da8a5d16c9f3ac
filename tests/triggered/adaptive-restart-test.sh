#!/bin/bash
# adaptive-restart-test.sh — the adaptive firewall survives a restart of
# palisade-helper: after the restart it watches failed logins again with
# the last applied document's settings, without a new Apply, and a repeat
# offender's count is remembered (its next ban is the 2nd, twice as long).
#
# The helper runs on a private bus (a dbus-daemon of ours, --session-bus)
# inside a network namespace that this test creates and that outlives the
# helper, as the kernel's table outlives a helper restart on a real system.
# Failed logins come from a log file (PALISADE_AUTH_LOG) the test writes
# sshd's lines into. The machine's own firewall must not change. TAP.
#
# Usage: adaptive-restart-test.sh HELPER PALISADECTL DOCUMENT
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

if [ $# -ne 3 ]; then
    echo "usage: $0 HELPER PALISADECTL DOCUMENT" >&2
    exit 2
fi
if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP needs root for a network namespace of its own"
    exit 0
fi

helper=$(realpath "$1")
palisadectl=$(realpath "$2")
template=$(realpath "$3")

run_dir=$(mktemp -d /tmp/palisade-adaptive-test.XXXXXX) || exit 1
state="$run_dir/state"
log="$run_dir/auth.log"
bus="unix:path=$run_dir/bus"
mkdir "$state"
: > "$log"
netns_pid=
bus_pid=
. "$(dirname "$0")/../stop-helper.sh"

cleanup() {
    local status=$?
    stop_helper
    [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
    [ -n "$netns_pid" ] && kill "$netns_pid" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$run_dir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The namespace lives as long as this sleep: across helper restarts.
unshare --net sleep 600 &
netns_pid=$!
dbus-daemon --session --address="$bus" --nofork --nopidfile > /dev/null 2> "$run_dir/dbus.log" &
bus_pid=$!
for _ in $(seq 100); do
    [ -S "$run_dir/bus" ] && break
    sleep 0.1
done

start_helper() {
    nsenter -t "$netns_pid" -n env DBUS_SESSION_BUS_ADDRESS="$bus" PALISADE_STATE_DIRECTORY="$state" \
        PALISADE_AUTH_LOG="$log" "$helper" --session-bus --no-idle-exit \
        >> "$run_dir/helper.out" 2>> "$run_dir/helper.err" &
    helper_pid=$!
    for _ in $(seq 100); do
        ctl triggered list > /dev/null 2>&1 && return
        sleep 0.1
    done
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

ctl() {
    "$palisadectl" "$@" --bus-address "$bus"
}

# sshd's words for one failed attempt, each from a port of its own.
port=40000
fail_from() {
    local address=$1 count=$2
    for _ in $(seq "$count"); do
        port=$((port + 1))
        echo "Nov 22 08:00:00 host sshd[$port]: Failed password for root from $address port $port ssh2" >> "$log"
    done
}

# Polls: the helper reads the file as it grows, in its own time.
banned_with() {
    local address=$1 reason=$2
    for _ in $(seq 100); do
        ctl triggered list | grep -E "^$address .*$reason" && return 0
        sleep 0.1
    done
    ctl triggered list
    return 1
}

# The helper saves a second after a change.
saved() {
    for _ in $(seq 50); do
        grep -qx "$1" "$state/adaptive.ini" 2>/dev/null && return 0
        sleep 0.1
    done
    cat "$state/adaptive.ini"
    return 1
}

not_banned() {
    sleep 1
    ! ctl triggered list | grep -q "^$1 "
}

host_table() {
    nft list table inet palisade 2>&1
    echo "status $?"
}

# The adaptive firewall on, 3 failures, first ban 10 minutes, doubling to an hour.
python3 - "$template" "$run_dir/adaptive.fwdoc" <<'PY'
import json, sys
with open(sys.argv[1]) as source:
    document = json.load(source)
document["adaptive"].update({"enabled": True, "failures": 3, "window": "15m",
                             "duration": "10m", "max-duration": "1h", "services": ["sshd"]})
document["triggered"]["trusted"] = ["198.51.100.0/24"]
with open(sys.argv[2], "w") as target:
    json.dump(document, target)
PY

echo "1..12"
host_before=$(host_table)
start_helper
check "apply a document with the adaptive firewall on" ctl apply "$run_dir/adaptive.fwdoc"
fail_from 192.0.2.7 3
check "three failed logins ban the address" banned_with 192.0.2.7 "sshd: 3 failed logins"
check "its ban count is saved" saved "192.0.2.7=1"

check "the helper stops cleanly (status 0: nothing a sanitizer reports)" stop_helper
start_helper
fail_from 192.0.2.8 3
check "after a restart, without an Apply, failed logins ban again" banned_with 192.0.2.8 "sshd: 3 failed logins"
fail_from 192.0.2.7 3
check "a repeat offender's 2nd ban doubles: the count survived the restart" \
    banned_with 192.0.2.7 "sshd: 3 failed logins \(2nd ban, 20m\)"
fail_from 198.51.100.9 3
check "the saved trusted list is still respected" not_banned 198.51.100.9
check "both counts are saved" sh -c "$(declare -f saved); state='$state'; saved 192.0.2.7=2 && saved 192.0.2.8=1"

# A damaged state file is refused with its key named; the helper starts
# without it and waits for an Apply.
check "the helper stops cleanly (status 0: nothing a sanitizer reports)" stop_helper
sed -i 's/^failures=.*/failures=0/' "$state/adaptive.ini"
start_helper
fail_from 192.0.2.9 3
check "with a damaged state file nothing is watched until an Apply" not_banned 192.0.2.9
check "and the helper says which value is wrong" grep -q "adaptive.failures" "$run_dir/helper.err"

if [ "$(host_table)" != "$host_before" ]; then
    echo "# the machine's own firewall changed"
    failed=1
fi
check "the helper stops cleanly at the end" stop_helper
if [ "$failed" != 0 ]; then
    sed 's/^/# helper: /' "$run_dir/helper.err"
fi
exit "$failed"
