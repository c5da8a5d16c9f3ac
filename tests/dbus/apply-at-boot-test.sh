#!/bin/bash
# apply-at-boot-test.sh — what palisade-boot.service runs: "palisade-helper
# --apply-at-boot FILE" applies the document with no bus, in a network
# namespace of its own here (a user namespace when not root), and nft reads
# the table back, with the bans the helper had saved (less the expired
# one) in the triggered sets; an invalid file fails with its located
# problem and applies nothing. TAP on standard output.
#
# Usage: apply-at-boot-test.sh HELPER VALID.fwdoc
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

helper=$(realpath "$1") valid=$(realpath "$2")
if [ "$(id -u)" = 0 ]; then netns="unshare --net --"; else netns="unshare -rn --"; fi
if ! $netns true 2> /dev/null; then
    echo "1..0 # SKIP cannot create a network namespace"
    exit 0
fi
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
printf '{"fwdoc": 1, "rules": [{"name": "x", "property": "source-address", "relation": "is", "value": "10.0.0.300", "action": "drop"}]}\n' \
    > "$work/invalid.fwdoc"

. "$(dirname "$0")/../tap.sh"

# What a helper saved before the reboot: a ban for an hour, one that
# expired meanwhile, one forever (address, expires, when, reason).
now=$(date +%s)
mkdir "$work/state"
printf '192.0.2.7\t%s\t%s\tssh\n198.51.100.9\t%s\t%s\told\n2001:db8::5\t0\t%s\tby hand\n' \
    $((now + 3600)) "$now" $((now - 10)) $((now - 3610)) "$now" > "$work/state/triggered.tsv"

# Both in one namespace: the helper applies, nft lists what the kernel has.
PALISADE_STATE_DIRECTORY=$work/state \
$netns sh -c '"$1" --apply-at-boot "$2" > "$3/out" 2>&1; echo $? > "$3/status";
              nft list table inet palisade > "$3/table" 2>&1' sh "$helper" "$valid" "$work"
check "--apply-at-boot exits 0" eval '[ "$(cat "$work/status")" = 0 ]'
check "nft lists table inet palisade with its chains and rules" \
    eval 'grep -q "table inet palisade" "$work/table" && grep -q "chain" "$work/table" && grep -q "counter" "$work/table"'
check "the loopback rule of the document is there" eval 'grep -q "iifname \"lo\"" "$work/table"'
set_elements() { sed -n "/set $1 /,/}/p" "$work/table" | tr -d '\n'; }
check "the saved bans are back in triggered4 and triggered6, the expired one is not" \
    eval 'set_elements triggered4 | grep -q "192\.0\.2\.7" &&
          set_elements triggered6 | grep -q "2001:db8::5" &&
          ! grep -q "198\.51\.100\.9" "$work/table" &&
          grep -q "banned addresses restored from $work/state: 2$" "$work/out"'
[ $failed = 0 ] || sed 's/^/# /' "$work/out" "$work/table"

# Saved bans that cannot be read are a warning: the document is in force.
rm "$work/state/triggered.tsv" && mkdir "$work/state/triggered.tsv"
PALISADE_STATE_DIRECTORY=$work/state \
$netns sh -c '"$1" --apply-at-boot "$2" > "$3/out" 2>&1; echo $? > "$3/status";
              nft list table inet palisade > "$3/table" 2>&1' sh "$helper" "$valid" "$work"
check "saved bans that cannot be read: a warning, the document still applied" \
    eval '[ "$(cat "$work/status")" = 0 ] && grep -q "table inet palisade" "$work/table" &&
          grep -q "are not restored" "$work/out" && grep -q "banned addresses restored from $work/state: 0$" "$work/out"'

$netns sh -c '"$1" --apply-at-boot "$2" > "$3/out" 2>&1; echo $? > "$3/status";
              nft list table inet palisade > "$3/table" 2>&1; echo $? > "$3/nft-status"' \
    sh "$helper" "$work/invalid.fwdoc" "$work"
check "an invalid document exits 1" eval '[ "$(cat "$work/status")" = 1 ]'
check "and says where the problem is" eval 'grep -q "invalid.fwdoc:1:.*10.0.0.300" "$work/out"'
check "and applies nothing" eval '[ "$(cat "$work/nft-status")" != 0 ]'
check "--apply-at-boot refuses the bus options" \
    eval '! "$helper" --apply-at-boot "$valid" --session-bus 2> /dev/null'
echo "1..$n"
exit $failed
