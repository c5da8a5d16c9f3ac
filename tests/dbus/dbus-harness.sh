#!/bin/bash
# dbus-harness.sh — runs a test program against palisade-helper on a private
# system bus, with the real polkitd, without changing the machine.
#
# Usage: dbus-harness.sh HELPER POLICY BUS-POLICY TEST-PROGRAM [ARGUMENTS…]
#
#   HELPER      the palisade-helper executable
#   POLICY      the built io.github.palisade.policy
#   BUS-POLICY  io.github.palisade.Firewall1.conf
#
# In a private mount namespace (unshare -m, / made private), a temporary
# directory is bind-mounted over /usr/share/polkit-1/actions (our policy),
# /etc/polkit-1/rules.d (a test rule: the user "daemon" may monitor) and
# /usr/share/polkit-1/rules.d (empty, so distribution rules do not interfere).
# A dbus-daemon with a system-bus configuration that includes our bus policy
# becomes DBUS_SYSTEM_BUS_ADDRESS; /usr/lib/polkit-1/polkitd serves on it;
# the helper runs with --bus-address in a network namespace of its own, its
# state (saved bans) in the run directory unless PALISADE_STATE_DIRECTORY
# names another. The
# test program gets PAL_TEST_HELPER_PID (for nsenter -n) and its standard
# output is passed through (TAP). With PAL_DBUS_HARNESS_ACTIVATION=1 the
# helper is not started: the bus activates it on the first call, from our
# io.github.palisade.Firewall1.service with its Exec line pointed at HELPER
# (in a new network namespace), and it exits when idle as it would under
# systemd. With PAL_DBUS_HARNESS_SERVICE_DIR=DIR as well, the bus activates
# from DIR's files exactly as they are (an installed tree: their Exec line
# is not changed) and the bus itself runs in a new network namespace, which
# what it starts inherits; POLICY and BUS-POLICY may then be directories,
# used in place as polkitd's actions and as the bus's <includedir>.
# Everything is stopped and removed on exit,
# whatever happens; the mount and network namespaces go with their last
# process. The helper we started must then exit with status 0, else the
# test fails: in the ASan build that is how a leak or an error while it
# stops is seen.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

if [ $# -lt 4 ]; then
    echo "usage: $0 HELPER POLICY BUS-POLICY TEST-PROGRAM [ARGUMENTS…]" >&2
    exit 2
fi

if [ "$(id -u)" != 0 ]; then
    # TAP: a plan of nothing, skipped, with the reason.
    echo "1..0 # SKIP the D-Bus tests need root (private mounts, polkitd, other users)"
    exit 0
fi

# Enter a private mount namespace once, then continue below inside it.
if [ -z "${PAL_DBUS_HARNESS_INNER:-}" ]; then
    export PAL_DBUS_HARNESS_INNER=1
    exec unshare --mount --propagation private -- "$0" "$@"
fi

helper=$(realpath "$1")
policy=$(realpath "$2")
bus_policy=$(realpath "$3")
shift 3

log() { echo "dbus-harness: $*" >&2; }

run_dir=$(mktemp -d /tmp/palisade-dbus-test.XXXXXX) || exit 1
# The helper keeps its bans and adaptive state here, not in the machine's
# /var/lib/palisade: a run must not restore what an earlier run banned
# (Apply then changes the table twice), nor leave its bans behind. Exported
# before dbus-daemon starts, so an activated helper inherits it too.
export PALISADE_STATE_DIRECTORY=${PALISADE_STATE_DIRECTORY:-$run_dir/state}
pids=()

# The helper we started: stopped first, and it must exit cleanly (status 0
# after SIGTERM, or after whatever stopped it earlier), so what a sanitizer
# finds in it (a leak at exit, an error while stopping) fails the test.
helper_pid=

stop_helper() {
    local helper_status
    [ -n "$helper_pid" ] || return 0
    kill "$helper_pid" 2>/dev/null
    wait "$helper_pid"
    helper_status=$?
    helper_pid=
    [ "$helper_status" = 0 ] && return 0
    echo "# palisade-helper exited with status $helper_status (see helper.log below)"
    return 1
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_helper || { [ "$status" = 0 ] && status=1; }
    # Newest first: polkitd, then the bus.
    for (( i=${#pids[@]}-1; i>=0; i-- )); do
        kill "${pids[$i]}" 2>/dev/null
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null
    done
    if [ "$status" != 0 ]; then
        for file in helper.log dbus.log; do
            [ -s "$run_dir/$file" ] || continue
            log "$file:"
            sed 's/^/  | /' "$run_dir/$file" >&2
        done
    fi
    umount /usr/share/polkit-1/actions /etc/polkit-1/rules.d /usr/share/polkit-1/rules.d 2>/dev/null
    rm -rf "$run_dir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Other users (nobody, daemon) must reach the bus socket.
chmod 755 "$run_dir"
# The helper's saved bans stay in this run: not in the machine's
# /var/lib/palisade, from where the next run's helper would restore them.
export PALISADE_STATE_DIRECTORY=${PALISADE_STATE_DIRECTORY:-$run_dir/state}
mkdir -p "$run_dir/actions" "$run_dir/rules" "$run_dir/share-rules"
actions_dir=$run_dir/actions
if [ -d "$policy" ]; then
    actions_dir=$policy
else
    cp "$policy" "$run_dir/actions/"
fi
cat > "$run_dir/rules/50-palisade-test.rules" <<'EOF'
// Proves the rules path: "daemon" may monitor (but not apply) without a session.
polkit.addRule(function(action, subject) {
    if (action.id == "io.github.palisade.monitor" && subject.user == "daemon")
        return polkit.Result.YES;
});
EOF
# polkitd reads its rules as the polkitd user.
chown -R polkitd "$run_dir/rules" "$run_dir/share-rules"
chmod 700 "$run_dir/rules" "$run_dir/share-rules"

mkdir -p "$run_dir/services"
service_dir=$run_dir/services
bus_netns=
if [ -n "${PAL_DBUS_HARNESS_SERVICE_DIR:-}" ]; then
    service_dir=$(realpath "$PAL_DBUS_HARNESS_SERVICE_DIR")
    bus_netns="unshare --net --"
elif [ "${PAL_DBUS_HARNESS_ACTIVATION:-}" = 1 ]; then
    if [ -z "${PAL_DBUS_SERVICE_FILE:-}" ]; then
        log "PAL_DBUS_SERVICE_FILE must name the built io.github.palisade.Firewall1.service"
        exit 1
    fi
    sed "s|^Exec=.*|Exec=/usr/bin/unshare --net -- $helper --verbose|" "$PAL_DBUS_SERVICE_FILE" \
        > "$run_dir/services/io.github.palisade.Firewall1.service"
fi

mount --bind "$actions_dir" /usr/share/polkit-1/actions || exit 1
mount --bind "$run_dir/rules" /etc/polkit-1/rules.d || exit 1
mount --bind "$run_dir/share-rules" /usr/share/polkit-1/rules.d || exit 1

bus_policy_element=include
[ -d "$bus_policy" ] && bus_policy_element=includedir
cat > "$run_dir/system.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<!-- The defaults of the real system bus, and the two services under test. -->
<busconfig>
  <type>system</type>
  <auth>EXTERNAL</auth>
  <listen>unix:path=$run_dir/system_bus_socket</listen>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
  </policy>
  <servicedir>$service_dir</servicedir>
  <include>/usr/share/dbus-1/system.d/org.freedesktop.PolicyKit1.conf</include>
  <$bus_policy_element>$bus_policy</$bus_policy_element>
</busconfig>
EOF

# Waits until NAME has an owner on the private bus, up to 10 s.
wait_for_name() {
    local name=$1 pid=$2
    for _ in $(seq 100); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "the process that should own $name exited"
            return 1
        fi
        if gdbus call --system --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
               --method org.freedesktop.DBus.NameHasOwner "$name" 2>/dev/null | grep -q true; then
            return 0
        fi
        sleep 0.1
    done
    log "nobody owns $name after 10 s"
    return 1
}

$bus_netns dbus-daemon --config-file="$run_dir/system.conf" --nofork --nopidfile --print-address=1 \
    > "$run_dir/address" 2> "$run_dir/dbus.log" &
pids+=($!)
for _ in $(seq 100); do
    [ -s "$run_dir/address" ] && break
    sleep 0.05
done
DBUS_SYSTEM_BUS_ADDRESS=$(head -n 1 "$run_dir/address")
if [ -z "$DBUS_SYSTEM_BUS_ADDRESS" ]; then
    log "dbus-daemon did not start:"; cat "$run_dir/dbus.log" >&2
    exit 1
fi
export DBUS_SYSTEM_BUS_ADDRESS
# Nobody on this bus may reach the real system's session manager.
unset DBUS_SESSION_BUS_ADDRESS

# polkitd switches to its own user by itself.
/usr/lib/polkit-1/polkitd --no-debug > "$run_dir/polkitd.log" 2>&1 &
pids+=($!)
wait_for_name org.freedesktop.PolicyKit1 "${pids[-1]}" || { cat "$run_dir/polkitd.log" >&2; exit 1; }

# The policy as polkitd understands it (pkaction --verbose).
if ! pkaction --action-id io.github.palisade.apply --verbose > "$run_dir/pkaction.txt" 2>&1 ||
   ! grep -q "implicit active: *auth_admin_keep" "$run_dir/pkaction.txt"; then
    log "polkitd does not know io.github.palisade.apply as expected:"
    cat "$run_dir/pkaction.txt" >&2
    exit 1
fi

if [ "${PAL_DBUS_HARNESS_ACTIVATION:-}" != 1 ]; then
    unshare --net -- "$helper" --bus-address "$DBUS_SYSTEM_BUS_ADDRESS" --no-idle-exit --verbose \
        > "$run_dir/helper.log" 2>&1 &
    helper_pid=$!
    wait_for_name io.github.palisade.Firewall1 "$helper_pid" || exit 1
    export PAL_TEST_HELPER_PID=$helper_pid
fi

export PAL_TEST_RUN_DIR=$run_dir
"$@"
