#!/bin/bash
# activation-test.sh — run by dbus-harness.sh with PAL_DBUS_HARNESS_ACTIVATION=1:
# the first call starts palisade-helper through our D-Bus activation file;
# it stays while called, gives its name back and exits after 60 s without
# calls, and the next call starts it again. TAP on standard output.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

name=io.github.palisade.Firewall1
path=/io/github/palisade/Firewall1

bus_call() {
    gdbus call --system --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
        --method "org.freedesktop.DBus.$1" "$name"
}

owned() {
    bus_call NameHasOwner | grep -q true
}

helper_pid() {
    bus_call GetConnectionUnixProcessID | sed 's/^(uint32 \([0-9]*\),)$/\1/'
}

# Any authorized call will do; the version does not depend on the kernel.
version() {
    gdbus call --system --dest "$name" --object-path "$path" \
        --method org.freedesktop.DBus.Properties.Get "$name" Version > /dev/null
}

n=0
failed=0
check() {
    local description=$1
    shift
    n=$((n + 1))
    if "$@"; then
        echo "ok $n - $description"
    else
        echo "not ok $n - $description"
        failed=1
    fi
}

echo "1..7"
check "nobody owns the name before the first call" eval '! owned'
check "a call activates the helper" version
first_pid=$(helper_pid)
check "the helper owns the name" owned

# Called again at 30 s: the minute starts over.
sleep 30
check "a call 30 s later is answered by the same helper" eval 'version && [ "$(helper_pid)" = "$first_pid" ]'
sleep 45
check "45 s after that call it is still there" eval 'owned && [ "$(helper_pid)" = "$first_pid" ]'

gone() {
    ! owned && ! kill -0 "$first_pid" 2>/dev/null
}

# At most 60 s + one idle check (5 s) + slack after the last call.
for _ in $(seq 25); do
    gone && break
    sleep 1
done
check "without calls for a minute it gives the name back and exits" gone
check "the next call starts a new helper" eval 'version && [ "$(helper_pid)" != "$first_pid" ]'
exit "$failed"
