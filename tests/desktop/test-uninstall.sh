#!/bin/bash
# test-uninstall.sh — docs/INSTALL.md's Install and Uninstall commands, run
# as written ("sudo" dropped: the test is root) against this machine's /usr
# and /etc under overlays in a private mount namespace, so nothing reaches
# the machine. After Install the programs and the system files are in
# place and *.fwdoc is application/x-fwdoc; after Uninstall no file that
# Palisade installed, or that names it, is left, and *.fwdoc is no longer
# known. Root only (the mounts), else skipped. TAP on standard output.
#
# Usage: test-uninstall.sh BUILD_DIR SRCDIR PREFIX (the documented commands
# call meson and ninja from PATH)
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" != --run ]; then
    build=$(realpath "$1") srcdir=$(realpath "$2") prefix=$3
    [ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (overlay mounts over /usr and /etc)"; exit 0; }
    [ "$prefix" = /usr/local ] ||
        { echo "1..0 # SKIP docs/INSTALL.md's commands are for the default prefix /usr/local, not $prefix"; exit 0; }
    # The real install writes the list "ninja uninstall" reads: the user's
    # list comes back afterwards (keep-install-log.sh).
    exec unshare --mount --propagation private -- \
        "$here/keep-install-log.sh" "$build" "$0" --run "$build" "$srcdir"
fi
build=$2 srcdir=$3
work=$(mktemp -d /var/tmp/palisade-uninstall.XXXXXX) || exit 1
trap 'umount -l /usr /etc 2> /dev/null; rm -rf "$work"' EXIT
for dir in usr etc; do
    mkdir -p "$work/$dir-upper" "$work/$dir-work"
    mount -t overlay overlay -o "lowerdir=/$dir,upperdir=$work/$dir-upper,workdir=$work/$dir-work" "/$dir" ||
        { echo "1..0 # SKIP cannot mount an overlay over /$dir"; exit 0; }
done
# The commands run from a folder where "build" is the build tree.
mkdir "$work/cwd" && ln -s "$build" "$work/cwd/build"

. "$(dirname "$0")/../tap.sh"
# block HEADING: the first ```sh block of docs/INSTALL.md after "## HEADING".
block() {
    awk -v heading="## $1" '$0 == heading { f = 1 } f && /^```sh/ { g = 1; next } g && /^```/ { exit } g' \
        "$srcdir/docs/INSTALL.md" | sed 's/\bsudo //g'
}
run_block() {
    local text
    text=$(block "$1")
    [ -n "$text" ] || { echo "# docs/INSTALL.md has no sh block under ## $1"; return 1; }
    echo "$text" | sed 's/^/# $ /'
    (cd "$work/cwd" && sh -e -c "$text") > "$work/$1.log" 2>&1 || { sed 's/^/# /' "$work/$1.log"; return 1; }
}
content_type() { gio info -a standard::content-type "$srcdir/data/templates/default.fwdoc" | sed -n 's/.*content-type: //p'; }
installed() {
    [ -x /usr/local/bin/palisade ] && [ -x /usr/local/bin/palisadectl ] &&
    [ -x /usr/local/libexec/palisade-helper ] &&
    [ -f /usr/share/dbus-1/system-services/io.github.palisade.Firewall1.service ] &&
    [ -f /usr/share/polkit-1/actions/io.github.palisade.policy ] &&
    [ -f /lib/systemd/system/palisade-boot.service ]
}
# Files (not the overlay's whiteouts) left in the upper layers that are
# Palisade's or name it.
leftovers() {
    (cd "$work" && find usr-upper etc-upper \( -type f -o -type l \) |
        while read -r file; do
            case $file in *palisade*|*fwdoc*) echo "$file"; continue ;; esac
            [ -f "$file" ] && grep -qi -e palisade -e fwdoc "$file" && echo "$file"
        done)
}

echo "1..5"
check "the Install commands run" run_block Install
check "the programs, the bus, polkit and systemd files are in place" installed
check "*.fwdoc is application/x-fwdoc (the MIME database was refreshed)" eval '[ "$(content_type)" = application/x-fwdoc ]'
check "the Uninstall commands run" run_block Uninstall
check "nothing of Palisade is left, and *.fwdoc is not known any more" \
    eval '[ -z "$(leftovers)" ] && [ "$(content_type)" != application/x-fwdoc ] ||
          { leftovers | sed "s/^/# left: /"; false; }'
exit $failed
