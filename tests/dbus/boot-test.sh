#!/bin/bash
# boot-test.sh — "Use at boot" through the private bus: run by dbus-harness.sh
# (the helper on --bus-address, so it writes the boot document only, under
# PAL_HELPER_BOOT_DIR, and never talks to systemd).
#
# Usage: boot-test.sh PALISADECTL VALID.fwdoc
# TAP on standard output.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

ctl=$1 valid=$2
name=io.github.palisade.Firewall1
path=/io/github/palisade/Firewall1
dir=$PAL_HELPER_BOOT_DIR
boot=$dir/boot.fwdoc
work=$PAL_TEST_RUN_DIR/boot-work
mkdir -p "$work"
# What a previous run left.
rm -rf "$dir"

. "$(dirname "$0")/../tap.sh"
ctl() { "$ctl" boot --bus-address "$DBUS_SYSTEM_BUS_ADDRESS" "$@"; }

installs() {
    ctl "$valid" > "$work/out" 2>&1 &&
    grep -q "saved off" "$work/out" &&
    "$ctl" validate "$boot" > /dev/null &&
    "$ctl" print "$valid" > "$work/valid.txt" && "$ctl" print "$boot" > "$work/boot.txt" &&
    cmp -s "$work/valid.txt" "$work/boot.txt"
}
# Replaced by a rename, never rewritten in place: a link to the old file
# keeps the old text whole, the new file is another inode, no temporary is
# left behind.
atomic() {
    ln -f "$boot" "$work/old-link" &&
    local before=$(stat -c %i "$boot") &&
    sed 's/"name": "\([^"]*\)"/"name": "\1 again"/' "$valid" > "$work/renamed.fwdoc" &&
    ctl "$work/renamed.fwdoc" > /dev/null 2>&1 &&
    [ "$(stat -c %i "$boot")" != "$before" ] &&
    cmp -s "$work/old-link" "$work/boot-before" &&
    grep -q ' again"' "$boot" &&
    [ "$(ls -A "$dir")" = boot.fwdoc ]
}
mode_0644() { [ "$(stat -c %a "$boot")" = 644 ]; }
# Sent straight to the helper (palisadectl would refuse it first).
invalid_refused() {
    local output
    cp "$boot" "$work/before-invalid"
    output=$(gdbus call --system --dest "$name" --object-path "$path" \
             --method "$name.SetBootDocument" \
             '{"fwdoc": 1, "rules": [{"name": "x", "property": "source-address", "relation": "is", "value": "10.0.0.300", "action": "drop"}]}' 2>&1)
    [ $? != 0 ] && echo "$output" | grep -q "$name.Error.InvalidDocument" &&
    echo "$output" | grep -q 'boot.fwdoc:1:' &&
    cmp -s "$boot" "$work/before-invalid" || { echo "# $output"; return 1; }
}
not_json_refused() {
    ! gdbus call --system --dest "$name" --object-path "$path" \
        --method "$name.SetBootDocument" 'not a document' > /dev/null 2>&1 &&
    cmp -s "$boot" "$work/before-invalid"
}
ctl_refuses_invalid() {
    printf '{"fwdoc": 1, "default": "sometimes"}\n' > "$work/bad.fwdoc"
    ! ctl "$work/bad.fwdoc" 2> "$work/err" && grep -q 'bad.fwdoc:1:' "$work/err" &&
    cmp -s "$boot" "$work/before-invalid"
}
nobody_denied() {
    local output
    output=$(setpriv --reuid nobody --regid nogroup --clear-groups \
             gdbus call --system --dest "$name" --object-path "$path" \
             --method "$name.SetBootDocument" "" 2>&1)
    [ $? != 0 ] && echo "$output" | grep -q "$name.Error.AccessDenied" && [ -e "$boot" ]
}
nobody_ctl_denied() {
    chmod 755 "$work"
    ! setpriv --reuid nobody --regid nogroup --clear-groups "$ctl" boot \
        --bus-address "$DBUS_SYSTEM_BUS_ADDRESS" --off 2> "$work/err" &&
    grep -q 'Not authorized' "$work/err" && [ -e "$boot" ]
}
status_on() { ctl --status | grep -q "$boot"; }
off() { ctl --off > /dev/null && [ ! -e "$boot" ]; }
off_again() { ctl --off > /dev/null && [ ! -e "$boot" ]; }
status_off() { ctl --status | grep -q 'No firewall is applied at boot'; }
usage() { ctl > /dev/null 2>&1; [ $? = 2 ] && { ctl --off "$valid" > /dev/null 2>&1; [ $? = 2 ]; }; }

polkit_knows_boot() {
    pkaction --action-id io.github.palisade.boot --verbose 2>&1 | grep -q "implicit active: *auth_admin_keep"
}

echo "1..13"
check "polkitd knows io.github.palisade.boot (auth_admin_keep)" polkit_knows_boot
check "palisadectl boot FILE installs the document (same rules, valid)" installs
cp "$boot" "$work/boot-before"
check "the file is replaced atomically (rename: old text whole, new inode, no temporary)" atomic
check "the boot document is readable by all (0644)" mode_0644
check "an invalid document is refused (InvalidDocument, located) and the file kept" invalid_refused
check "text that is not a document is refused and the file kept" not_json_refused
check "palisadectl refuses an invalid file before calling, naming its line" ctl_refuses_invalid
check "a caller that is not root is refused (AccessDenied)" nobody_denied
check "palisadectl boot --off as nobody is refused" nobody_ctl_denied
check "--status names the installed document" status_on
check "--off removes the document" off
check "--off again is fine" off_again
check "--status says nothing is applied at boot; a file and --off together is a usage error" \
    eval 'status_off && usage'
exit $failed
