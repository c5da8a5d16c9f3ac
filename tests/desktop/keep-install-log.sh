#!/bin/sh
# keep-install-log.sh BUILD_DIR COMMAND [ARGUMENT…] — runs COMMAND (a
# test's "meson install") and leaves BUILD_DIR/meson-logs/install-log.txt
# as it was before. That file is the list "ninja -C build uninstall"
# removes (docs/INSTALL.md); a test's install into a DESTDIR must not
# replace the list of the user's real installation. Tests that install
# take the same lock, so they never restore each other's list.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

build=$1
shift
log=$build/meson-logs/install-log.txt
saved=$build/meson-logs/.install-log.kept.$$
mkdir -p "$build/meson-logs"
exec 9> "$build/meson-logs/.install-log.lock"
flock 9
if [ -f "$log" ]; then cp -p "$log" "$saved"; fi
"$@"
status=$?
if [ -f "$saved" ]; then mv -f "$saved" "$log"; else rm -f "$log"; fi
exit $status
