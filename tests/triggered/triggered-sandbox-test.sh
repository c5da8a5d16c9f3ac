#!/bin/bash
# triggered-sandbox-test.sh — the triggered and trusted D-Bus methods
# through "palisadectl triggered|trusted --sandbox" against
# "palisade-helper --sandbox" run as nobody, and bans that survive the
# helper's restart in a fresh network namespace (as after a reboot). The
# machine's own firewall must not change. TAP on standard output.
#
# Usage: triggered-sandbox-test.sh HELPER PALISADECTL DOCUMENT
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

run_dir=$(mktemp -d /tmp/palisade-triggered-test.XXXXXX) || exit 1
chmod 755 "$run_dir"
runtime="$run_dir/runtime"
state="$run_dir/state"
mkdir "$runtime" "$state"
chown nobody:nogroup "$runtime" "$state"
chmod 700 "$runtime" "$state"
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
        env -u DBUS_SYSTEM_BUS_ADDRESS -u DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR="$runtime" \
        PALISADE_STATE_DIRECTORY="$state" "$@"
}

start_helper() {
    setpriv --reuid nobody --regid nogroup --clear-groups \
        env -u DBUS_SYSTEM_BUS_ADDRESS -u DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR="$runtime" \
        PALISADE_STATE_DIRECTORY="$state" "$helper" --sandbox >> "$run_dir/helper.out" 2>> "$run_dir/helper.err" &
    helper_pid=$!
    for _ in $(seq 100); do
        [ -s "$runtime/palisade-sandbox/bus" ] && break
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
    as_user "$palisadectl" "$@" --sandbox
}

host_table() {
    nft list table inet palisade 2>&1
    echo "status $?"
}

set_elements() {
    nsenter -t "$helper_pid" -n nft list set inet palisade "$1"
}

listed() {
    ctl triggered list | grep -E "^$1 +$2"
}

not_listed() {
    ! ctl triggered list | grep -q "^$1 "
}

refused() {
    local expected=$1
    shift
    local output
    if output=$("$@" 2>&1); then
        return 1
    fi
    echo "$output"
    echo "$output" | grep -qF -- "$expected"
}

saved() {
    grep -q "^$1	" "$state/triggered.tsv"
}

echo "1..22"
host_before=$(host_table)
start_helper

check "no table: nothing is banned" sh -c "$(declare -f as_user ctl); runtime='$runtime' state='$state' palisadectl='$palisadectl'; ctl triggered list | grep -q 'No address is banned'"
check "no table: a ban is refused with a sentence" refused "apply one first" ctl triggered add 192.0.2.1
check "apply" ctl apply "$document"
check "add addresses and a network" ctl triggered add --duration 1h --reason "by the test" 192.0.2.1 198.51.100.0/31 2001:db8::1
check "they are in the kernel's sets with the reason" sh -c "$(declare -f set_elements); helper_pid=$helper_pid; set_elements triggered4 | grep -q 'comment \"by the test\"'"
check "list shows them, time left and reason" listed 198.51.100.1 "(59m|1h)"
check "a bad address is refused, located" refused "Address 2" ctl triggered add 192.0.2.9 192.0.2.300
check "remove unbans at once" sh -c "$(declare -f as_user ctl not_listed); runtime='$runtime' state='$state' palisadectl='$palisadectl'; ctl triggered remove 192.0.2.1 && not_listed 192.0.2.1"
printf '203.0.113.5\ttriggered\tport scan\t600\n203.0.113.300\ttriggered\tx\t1\n' > "$run_dir/bad.tsv"
chmod 644 "$run_dir/bad.tsv"
check "an import with a bad line is refused whole, by line" refused "line 2:" ctl triggered import "$run_dir/bad.tsv"
check "nothing of it was imported" not_listed 203.0.113.5
printf '203.0.113.5\ttriggered\tport scan\t600\n10.20.0.0/16\ttrusted\t\t\n' > "$run_dir/good.tsv"
chmod 644 "$run_dir/good.tsv"
check "import" ctl triggered import "$run_dir/good.tsv"
check "the imported trusted network is applied" sh -c "$(declare -f set_elements); helper_pid=$helper_pid; set_elements trusted4 | grep -q '10.20.0.0/16'"
check "trusted add and list" sh -c "$(declare -f as_user ctl); runtime='$runtime' state='$state' palisadectl='$palisadectl'; ctl trusted add 192.168.50.0/24 && ctl trusted list | grep -q '^192.168.50.0/24$'"
check "trusted remove" sh -c "$(declare -f as_user ctl); runtime='$runtime' state='$state' palisadectl='$palisadectl'; ctl trusted remove 192.168.50.0/24 && ! ctl trusted list | grep -q '192.168.50'"
check "export" sh -c "$(declare -f as_user ctl); runtime='$runtime' state='$state' palisadectl='$palisadectl'; ctl triggered export | grep -q '^203.0.113.5	triggered	port scan	'"
sleep 1.5
check "the bans are saved under the state directory" saved 203.0.113.5

check "the helper stops cleanly (status 0: nothing a sanitizer reports)" stop_helper
start_helper
ctl apply "$document" > /dev/null 2>&1
check "after a restart in a fresh namespace, the bans are back" listed 2001:db8::1 "(59m|1h)"
check "with their reason" sh -c "$(declare -f as_user ctl); runtime='$runtime' state='$state' palisadectl='$palisadectl'; ctl triggered list | grep -q '203.0.113.5 .*port scan'"
check "flush" sh -c "$(declare -f as_user ctl not_listed); runtime='$runtime' state='$state' palisadectl='$palisadectl'; ctl triggered flush && not_listed 2001:db8::1"
check "the machine's firewall did not change" test "$(host_table)" = "$host_before"

check "the helper stops cleanly at the end" stop_helper
if [ "$failed" != 0 ]; then
    sed 's/^/# helper: /' "$run_dir/helper.err"
fi
exit "$failed"
