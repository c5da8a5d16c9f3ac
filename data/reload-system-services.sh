#!/bin/sh
# reload-system-services.sh — run by "meson install": tells a running systemd
# about palisade-helper.service, so the first D-Bus activation finds it
# without a manual "systemctl daemon-reload". dbus-daemon and polkitd notice
# their new files by themselves (inotify). Nothing to do for a DESTDIR
# (packaging: the package's triggers do it) or without systemd.
#
# SPDX-License-Identifier: GPL-3.0-or-later
[ -z "${DESTDIR:-}" ] || exit 0
[ -d /run/systemd/system ] || exit 0
command -v systemctl > /dev/null || exit 0
systemctl daemon-reload || echo "reload-system-services.sh: systemctl daemon-reload failed; run it by hand" >&2
exit 0
