#!/bin/sh
# test-potfiles.sh SRCDIR — po/POTFILES.in lists, sorted and existing, every
# file with translatable strings (C with _(), N_(), C_(), NC_() or
# g_d*gettext; .ui with translatable="yes"; the desktop, metainfo, MIME,
# polkit and GSettings files of data/), and xgettext reads them all.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

cd "$1"
work=$(mktemp -d "${TMPDIR:-/tmp}/palisade-potfiles-XXXXXX")
trap 'rm -rf "$work"' EXIT

grep -v -e '^#' -e '^[[:space:]]*$' po/POTFILES.in > "$work/listed"

status=0
if ! LC_ALL=C sort -c -u "$work/listed" 2> /dev/null; then
  echo "po/POTFILES.in is not sorted (LC_ALL=C) or lists a file twice" >&2
  status=1
fi
while read -r file; do
  [ -f "$file" ] || { echo "po/POTFILES.in lists $file, which does not exist" >&2; status=1; }
done < "$work/listed"

{
  grep -rlE --include='*.c' --include='*.h' \
    '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dc?n?gettext|g_dpgettext2?)[[:space:]]*\(' app lib helper || true
  grep -rl --include='*.ui' 'translatable="yes"' ui app || true
  find data \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' -o -name '*.mime.xml' \
            -o -name '*.policy.in' -o -name '*.gschema.xml' \) -print
} | LC_ALL=C sort -u > "$work/found"

if ! diff -u --label po/POTFILES.in --label found "$work/listed" "$work/found"; then
  echo "po/POTFILES.in differs from the files with translatable strings (- listed, + found)" >&2
  status=1
fi

# As meson's i18n.gettext(preset: 'glib') runs it, into a scratch file.
if ! xgettext --package-name=palisade --from-code=UTF-8 --add-comments \
       --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
       --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
       --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
       --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
       --flag=g_set_error:4:c-format --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
       --files-from="$work/listed" --output="$work/palisade.pot"; then
  echo "xgettext failed on the files of po/POTFILES.in" >&2
  status=1
elif [ "$status" -eq 0 ]; then
  echo "$(grep -c '^msgid ' "$work/palisade.pot") messages from $(wc -l < "$work/listed") files"
fi
exit $status
