#!/bin/bash
# installed-activation-test.sh — "meson install" into a temporary DESTDIR,
# then the installed palisadectl reaches the installed palisade-helper
# through D-Bus activation, from the installed activation file, bus policy
# and polkit policy as they are. TAP on standard output.
#
# Usage: installed-activation-test.sh MESON BUILD_DIR HARNESS NAME=DIR…
#   with the directories prefix, bindir, libexecdir, dbussystemservicesdir,
#   dbussystempolicydir, polkitactionsdir (absolute, or relative to prefix).
#
# In a private mount namespace the installed prefix is laid over the real
# one (a read-only overlay), so every installed program sits at the very
# path it was installed for and the activation file's Exec line is used
# unchanged. dbus-harness.sh (PAL_DBUS_HARNESS_SERVICE_DIR) then starts a
# private system bus whose <servicedir> and <includedir> are the DESTDIR's
# and polkitd reading the DESTDIR's actions; the bus runs in a network
# namespace of its own, so the helper it starts cannot touch the machine's
# firewall.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

name=io.github.palisade.Firewall1
path=/io/github/palisade/Firewall1

# Phase 3, run by the harness on the private bus: the checks.
if [ "${1:-}" = --checks ]; then
    destdir=$2 bindir=$3 libexecdir=$4 services_dir=$5
    service_file=$destdir$services_dir/$name.service
    n=0 failed=0
    check() {
        local description=$1
        shift
        n=$((n + 1))
        if "$@"; then echo "ok $n - $description"; else echo "not ok $n - $description"; failed=1; fi
    }
    bus_call() {
        gdbus call --system --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
            --method "org.freedesktop.DBus.$1" "$name"
    }
    owned() { bus_call NameHasOwner | grep -q true; }
    exec_line_is_installed() {
        grep -qx "Exec=$libexecdir/palisade-helper" "$service_file" &&
        grep -qx "SystemdService=palisade-helper.service" "$service_file"
    }
    status_as_root() { "$bindir/palisadectl" status > "$PAL_TEST_RUN_DIR/status.txt" 2>&1; }
    helper_pid=
    find_helper() { helper_pid=$(bus_call GetConnectionUnixProcessID | sed 's/^(uint32 \([0-9]*\),)$/\1/'); }
    runs_installed_binary() {
        [ "$(readlink "/proc/$helper_pid/exe")" = "$libexecdir/palisade-helper" ] &&
        cmp -s "/proc/$helper_pid/exe" "$destdir$libexecdir/palisade-helper"
    }
    own_network_namespace() { [ "$(readlink "/proc/$helper_pid/ns/net")" != "$(readlink /proc/self/ns/net)" ]; }
    # The installed polkit policy is in force: a change is refused to nobody.
    nobody_refused() {
        local output
        output=$(setpriv --reuid nobody --regid nogroup --clear-groups \
                 gdbus call --system --dest "$name" --object-path "$path" \
                 --method "$name.SetEnabled" false 2>&1)
        [ $? != 0 ] && echo "$output" | grep -q "$name.Error.AccessDenied"
    }

    # The installed helper serves the system bus here: "Use at boot" needs
    # systemd to enable palisade-boot.service, which this private bus does
    # not have (nor, maybe, the machine): refused, and /etc left as it was.
    boot_refused() {
        local before after
        before=$(stat -c '%i %Y' /etc/palisade/boot.fwdoc 2>&1)
        printf '{"fwdoc": 1}\n' > "$PAL_TEST_RUN_DIR/boot.fwdoc"
        ! "$bindir/palisadectl" boot "$PAL_TEST_RUN_DIR/boot.fwdoc" > "$PAL_TEST_RUN_DIR/boot.txt" 2>&1 &&
        grep -q systemd "$PAL_TEST_RUN_DIR/boot.txt" || return 1
        after=$(stat -c '%i %Y' /etc/palisade/boot.fwdoc 2>&1)
        [ "$before" = "$after" ]
    }

    echo "1..8"
    check "the installed activation file names the installed helper" exec_line_is_installed
    check "nobody owns $name before the first call" eval '! owned'
    check "the installed palisadectl status is answered (activation)" status_as_root
    [ $failed = 0 ] || sed 's/^/# /' "$PAL_TEST_RUN_DIR/status.txt"
    find_helper
    check "the helper owns the name" owned
    check "the process is the installed $libexecdir/palisade-helper" runs_installed_binary
    check "it runs in the bus's network namespace, not the machine's" own_network_namespace
    check "the installed polkit policy refuses a change to nobody (AccessDenied)" nobody_refused
    check "Use at boot without systemd on the bus is refused and changes nothing" boot_refused
    [ $failed = 0 ] || sed "s/^/# /" "$PAL_TEST_RUN_DIR/boot.txt"
    exit $failed
fi

if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP needs root (meson install into a private overlay, polkitd, other users)"
    exit 0
fi

meson=$1 build_dir=$2 harness=$(realpath "$3")
shift 3
declare -A dir
for pair in "$@"; do dir[${pair%%=*}]=${pair#*=}; done
for key in bindir libexecdir dbussystemservicesdir dbussystempolicydir polkitactionsdir; do
    case ${dir[$key]} in /*) ;; *) dir[$key]=${dir[prefix]}/${dir[$key]} ;; esac
done
prefix=${dir[prefix]}

# Phase 2, in a private mount namespace: the overlay, then the harness.
if [ -n "${PAL_INSTALL_TEST_DESTDIR:-}" ]; then
    destdir=$PAL_INSTALL_TEST_DESTDIR
    mount -t overlay palisade-installed -o "lowerdir=$destdir$prefix:$prefix" "$prefix" || exit 1
    PAL_DBUS_HARNESS_ACTIVATION=1 PAL_DBUS_HARNESS_SERVICE_DIR=$destdir${dir[dbussystemservicesdir]} \
        exec "$harness" "${dir[libexecdir]}/palisade-helper" \
        "$destdir${dir[polkitactionsdir]}" "$destdir${dir[dbussystempolicydir]}" \
        "$(realpath "$0")" --checks "$destdir" "${dir[bindir]}" "${dir[libexecdir]}" \
        "${dir[dbussystemservicesdir]}"
fi

# Phase 1: install, then continue in a private mount namespace.
destdir=$(mktemp -d /tmp/palisade-installed.XXXXXX) || exit 1
trap 'rm -rf "$destdir"' EXIT
chmod 755 "$destdir"
if ! "$(dirname "$0")/../desktop/keep-install-log.sh" "$build_dir" \
       "$meson" install -C "$build_dir" --destdir "$destdir" --no-rebuild --quiet > "$destdir.log" 2>&1; then
    echo "1..0 # meson install failed"
    sed 's/^/# /' "$destdir.log"
    rm -f "$destdir.log"
    exit 1
fi
rm -f "$destdir.log"
PAL_INSTALL_TEST_DESTDIR=$destdir unshare --mount --propagation private -- "$0" "$meson" "$build_dir" "$harness" "$@"
