#!/bin/bash
# boot-container-test.sh — "Use at boot" under a real systemd: a minimal
# Debian 12 in a container (systemd-nspawn --boot --private-network), with
# Palisade installed into it by "meson install" (DESTDIR), booted twice.
#
#   First boot: palisadectl apply (the helper started by D-Bus activation
#   through systemd), palisadectl triggered add (a ban the helper saves in
#   /var/lib/palisade), palisadectl boot FILE (SetBootDocument: the file
#   in /etc/palisade and EnableUnitFiles through systemd's D-Bus API), then
#   poweroff.
#   Second boot, a new network namespace that starts empty: palisade-boot.service
#   ran before network-pre.target, nft lists our table and the saved ban, and
#   the helper never ran (so neither came from it). Then palisadectl boot
#   --off disables the unit, and a third boot has no table.
#
# The Debian tree is made once with debootstrap and kept in
# $PALISADE_CONTAINER_CACHE (default /var/cache/palisade-test), named by a
# hash of what it holds; each run boots an overlay over it, so the cache
# stays clean. Skipped (with the reason) without root or without
# systemd-nspawn, or without debootstrap while the cache is cold.
#
# Usage: boot-container-test.sh MESON BUILD_DIR VALID.fwdoc
# TAP on standard output.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

meson=$1 build=$(realpath "$2") valid=$(realpath "$3")
suite=bookworm
mirror=${PALISADE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache_root=${PALISADE_CONTAINER_CACHE:-/var/cache/palisade-test}
# The runtime of palisade-helper and palisadectl, the bus, nft; polkitd
# is installed afterwards with apt-get in the container (its maintainer
# script fails inside debootstrap).
packages=systemd,systemd-sysv,dbus,nftables,libglib2.0-0,libjson-glib-1.0-0,libnftnl11,libmnl0,libpolkit-gobject-1-0
later_packages=polkitd
boot_timeout=180

skip() { echo "1..0 # SKIP $*"; exit 0; }
# This machine's systemd may not be PID 1 (a container, a CI runner): no
# scope unit, no registration with machined.
nspawn="systemd-nspawn --quiet --register=no --keep-unit"
[ "$(id -u)" = 0 ] || skip "needs root (systemd-nspawn boots the container)"
command -v systemd-nspawn > /dev/null ||
    skip "systemd-nspawn is not installed (apt install systemd-container)"

key=$(printf '%s\n' "$suite" "$mirror" "$packages" "$later_packages" | sha256sum | cut -c1-12)
tree=$cache_root/$suite-$key

# ------------------------------------------------------------ the cached tree

make_tree() {
    local tmp
    tmp=$(mktemp -d "$cache_root/.new-$suite.XXXXXX") && chmod 755 "$tmp" || return 1
    echo "# debootstrap $suite into $tmp (once; later runs reuse $tree)" >&2
    if ! debootstrap --variant=minbase --include="$packages" "$suite" "$tmp" "$mirror" \
            > "$cache_root/debootstrap.log" 2>&1 ||
       ! $nspawn --directory="$tmp" --setenv=DEBIAN_FRONTEND=noninteractive sh -c \
            "apt-get install -y --no-install-recommends $later_packages && apt-get clean" \
            >> "$cache_root/debootstrap.log" 2>&1; then
        echo "# making the tree failed; the end of $cache_root/debootstrap.log:" >&2
        tail -n 20 "$cache_root/debootstrap.log" | sed 's/^/# /' >&2
        cp "$tmp/debootstrap/debootstrap.log" "$cache_root/debootstrap-inside.log" 2> /dev/null
        rm -rf "$tmp"
        return 1
    fi
    # Nothing the test does not need: no login prompt, no timers.
    systemctl --root="$tmp" mask console-getty.service getty.target apt-daily.timer \
        apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer > /dev/null 2>&1
    : > "$tmp/etc/machine-id"
    mv "$tmp" "$tree"
}

if [ ! -d "$tree" ]; then
    command -v debootstrap > /dev/null ||
        skip "debootstrap is not installed (apt install debootstrap) and $tree is not made yet"
    # Two runs at once make it once.
    mkdir -p "$cache_root" && exec 9> "$cache_root/.lock" || exit 1
    flock 9
    if [ ! -d "$tree" ] && ! make_tree; then
        echo "1..1"
        echo "not ok 1 - a $suite tree from $mirror (debootstrap)"
        exit 1
    fi
    flock -u 9
fi

# ------------------------------------------------------------ one run

# The overlay and the container's mounts vanish with this mount namespace.
if [ -z "${PAL_BOOT_CONTAINER_NS:-}" ]; then
    PAL_BOOT_CONTAINER_NS=1 exec unshare --mount --propagation private -- "$0" "$@"
fi
work=$(mktemp -d /var/tmp/palisade-boot-container.XXXXXX) || exit 1
# PAL_TEST_KEEP=1 keeps what the container wrote, to look at.
trap 'umount -l "$work/root" 2> /dev/null; [ -n "${PAL_TEST_KEEP:-}" ] && echo "# kept $work/results" ||
      rm -rf "$work"' EXIT
root=$work/root results=$work/results
mkdir -p "$work/upper" "$work/overlay-work" "$root" "$results"
if ! mount -t overlay overlay -o "lowerdir=$tree,upperdir=$work/upper,workdir=$work/overlay-work" "$root"; then
    echo "1..1"
    echo "not ok 1 - an overlay over $tree"
    exit 1
fi

. "$(dirname "$0")/../tap.sh"

# Palisade as "sudo meson install" puts it on a machine (prefix and all).
install_palisade() {
    "$(dirname "$0")/../desktop/keep-install-log.sh" "$build" \
        "$meson" install -C "$build" --destdir "$root" --no-rebuild --quiet > "$work/install.log" 2>&1 ||
        { sed 's/^/# /' "$work/install.log"; return 1; }
}

# What each boot does, run by a unit of the container once it is up; the
# step's name is in /results/step, its findings go to /results/STEP/.
install_steps() {
    # Saved on: a boot firewall that is switched off protects nothing.
    sed '0,/"enabled": false/s//"enabled": true/' "$valid" > "$root/root/test.fwdoc"
    mkdir -p "$root/usr/local/libexec"
    cat > "$root/usr/local/libexec/palisade-test-step" <<'STEP'
#!/bin/bash
step=$(cat /results/step)
out=/results/$step
mkdir -p "$out"
exec > "$out/log" 2>&1
set -x
# Taken first, before this step can start anything.
systemctl show palisade-helper.service -p ActiveState -p InactiveExitTimestampMonotonic > "$out/helper.txt"
nft list table inet palisade > "$out/table.txt" 2>&1
echo $? > "$out/table.status"
nft list set inet palisade triggered4 > "$out/triggered4.txt" 2>&1
systemctl show palisade-boot.service > "$out/boot-unit.txt"
systemctl show network-pre.target > "$out/network-pre.txt"
journalctl -b -u palisade-boot.service --no-pager > "$out/boot-journal.txt" 2>&1
systemctl is-system-running --wait
case $step in
first)
    palisadectl apply /root/test.fwdoc; echo $? > "$out/apply.status"
    nft list table inet palisade > "$out/applied.txt" 2>&1
    palisadectl triggered add 192.0.2.7 --duration 1d --reason container-test; echo $? > "$out/add.status"
    palisadectl boot /root/test.fwdoc; echo $? > "$out/boot.status"
    systemctl is-enabled palisade-boot.service > "$out/enabled.txt" 2>&1
    # The helper saves the bans when it stops.
    systemctl stop palisade-helper.service
    cp /var/lib/palisade/triggered.tsv "$out/"
    ;;
second)
    palisadectl boot --off; echo $? > "$out/off.status"
    systemctl is-enabled palisade-boot.service > "$out/enabled.txt" 2>&1
    ;;
esac
journalctl -b --no-pager > "$out/journal.txt" 2>&1
touch "$out/done"
systemctl poweroff
STEP
    chmod 755 "$root/usr/local/libexec/palisade-test-step"
    cat > "$root/etc/systemd/system/palisade-test-step.service" <<'UNIT'
[Unit]
Description=Palisade container test step

[Service]
Type=exec
ExecStart=/usr/local/libexec/palisade-test-step
UNIT
    mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
    ln -sf ../palisade-test-step.service "$root/etc/systemd/system/multi-user.target.wants/"
}

# boot STEP: boots the container until the step powers it off; a fresh
# network namespace each time (--private-network), as after a reboot.
boot() {
    echo "$1" > "$results/step"
    timeout "$boot_timeout" $nspawn --private-network --boot --directory="$root" \
        --machine=palisade-boot-test --console=passive \
        --bind="$results:/results" > "$work/nspawn-$1.log" 2>&1
    local status=$?
    if [ ! -e "$results/$1/done" ]; then
        echo "# boot $1: systemd-nspawn exited $status before the step was done"
        sed 's/^/# /' "$work/nspawn-$1.log" "$results/$1/log" 2> /dev/null | tail -n 40
        return 1
    fi
}

# prop FILE NAME: a property from a "systemctl show" file.
prop() { sed -n "s/^$2=//p" "$1"; }

# The helper writes the document in its canonical form: compare the rules.
same_document() {
    "$build/app/palisadectl" print "$1" > "$work/a.txt" && "$build/app/palisadectl" print "$2" > "$work/b.txt" &&
    cmp -s "$work/a.txt" "$work/b.txt"
}
# chains FILE: the chain names of an "nft list table" output, in order.
chains() { sed -n 's/^[[:space:]]*chain \([^ ]*\) {$/\1/p' "$1"; }
# set_elements FILE SET: the elements line(s) of one set.
set_elements() { sed -n "/set $2 {/,/}/p" "$1" | tr -d '\n'; }

echo "1..15"
check "Palisade installs into the container (meson install, DESTDIR)" install_palisade
install_steps

f=$results/first
check "first boot: no table, palisade-boot.service not enabled" \
    eval 'boot first && [ "$(cat "$f/table.status")" != 0 ] &&
          [ "$(prop "$f/boot-unit.txt" UnitFileState)" = disabled ]'
check "palisadectl apply activates the helper through D-Bus and systemd, and applies" \
    eval '[ "$(cat "$f/apply.status")" = 0 ] && grep -q "table inet palisade" "$f/applied.txt" &&
          grep -q "Activating via systemd: service name=.io.github.palisade.Firewall1" "$f/journal.txt"'
check "palisadectl triggered add bans 192.0.2.7; the stopped helper saved it" \
    eval '[ "$(cat "$f/add.status")" = 0 ] && grep -q "^192\.0\.2\.7	" "$f/triggered.tsv"'
check "palisadectl boot FILE installs /etc/palisade/boot.fwdoc and enables the unit (EnableUnitFiles)" \
    eval '[ "$(cat "$f/boot.status")" = 0 ] && [ "$(cat "$f/enabled.txt")" = enabled ] &&
          [ -L "$root/etc/systemd/system/sysinit.target.wants/palisade-boot.service" ] &&
          same_document "$root/etc/palisade/boot.fwdoc" "$root/root/test.fwdoc"'
[ $failed = 0 ] || sed 's/^/# /' "$f/log"

s=$results/second
check "second boot (a new, empty network namespace)" boot second
check "palisade-boot.service ran and succeeded" \
    eval '[ "$(prop "$s/boot-unit.txt" ActiveState)" = active ] &&
          [ "$(prop "$s/boot-unit.txt" Result)" = success ] &&
          [ "$(prop "$s/boot-unit.txt" ExecMainStatus)" = 0 ] &&
          grep -q "Applied /etc/palisade/boot.fwdoc" "$s/boot-journal.txt"'
check "it is ordered before network-pre.target, wanted by sysinit.target" \
    eval 'prop "$s/boot-unit.txt" Before | tr " " "\n" | grep -qx network-pre.target &&
          prop "$s/boot-unit.txt" WantedBy | tr " " "\n" | grep -qx sysinit.target'
# Monotonic microseconds since boot: the table was there before the
# network could come up.
applied_first() {
    local applied reached
    applied=$(prop "$s/boot-unit.txt" ActiveEnterTimestampMonotonic)
    reached=$(prop "$s/network-pre.txt" ActiveEnterTimestampMonotonic)
    echo "# palisade-boot.service active at ${applied}us, network-pre.target at ${reached}us"
    [ "${applied:-0}" -gt 0 ] && [ "${reached:-0}" -gt 0 ] && [ "$applied" -le "$reached" ]
}
check "it was done before network-pre.target was reached" applied_first
check "nft lists table inet palisade at boot: switched on, the chains of the applied document" \
    eval '[ "$(cat "$s/table.status")" = 0 ] && ! grep -q "flags dormant" "$s/table.txt" &&
          [ -n "$(chains "$s/table.txt")" ] && [ "$(chains "$s/table.txt")" = "$(chains "$f/applied.txt")" ]'
check "the saved ban is back in triggered4 (restored by the boot unit)" \
    eval 'set_elements "$s/table.txt" triggered4 | grep -q "192\.0\.2\.7" &&
          grep -q "banned addresses restored from /var/lib/palisade: 1$" "$s/boot-journal.txt"'
check "the helper did not run before these were read (so neither came from it)" \
    eval '[ "$(prop "$s/helper.txt" ActiveState)" = inactive ] &&
          [ "$(prop "$s/helper.txt" InactiveExitTimestampMonotonic)" = 0 ]'
check "palisadectl boot --off removes the document and disables the unit" \
    eval '[ "$(cat "$s/off.status")" = 0 ] && [ "$(cat "$s/enabled.txt")" = disabled ] &&
          [ ! -e "$root/etc/palisade/boot.fwdoc" ]'
[ $failed = 0 ] || sed 's/^/# /' "$s/log" "$s/boot-journal.txt" "$s/table.txt" | head -n 80

t=$results/third
check "third boot" boot third
check "after --off nothing is applied at boot: no table, the unit did not run" \
    eval '[ "$(cat "$t/table.status")" != 0 ] &&
          [ "$(prop "$t/boot-unit.txt" ActiveState)" = inactive ] &&
          [ "$(prop "$t/boot-unit.txt" UnitFileState)" = disabled ]'
exit $failed
