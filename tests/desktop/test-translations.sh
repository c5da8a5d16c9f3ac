#!/bin/sh
# test-translations.sh SRCDIR — every language of po/LINGUAS is complete
# against the strings of today's sources: the POT is made again from
# po/POTFILES.in (as meson's i18n.gettext(preset: 'glib') makes it), the
# language's .po is merged into it in a scratch copy, and
# "msgfmt --check --statistics" must report every message translated, none
# fuzzy or untranslated, with valid formats and plural forms. A string
# changed in the sources since the translation therefore fails here, with
# the messages to translate listed.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

cd "$1"
work=$(mktemp -d "${TMPDIR:-/tmp}/palisade-translations-XXXXXX")
trap 'rm -rf "$work"' EXIT

grep -v -e '^#' -e '^[[:space:]]*$' po/POTFILES.in > "$work/listed"
xgettext --package-name=palisade --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_set_error:4:c-format --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
  --files-from="$work/listed" --output="$work/palisade.pot" 2> /dev/null

languages=$(sed -e 's/#.*//' po/LINGUAS | tr ' \t' '\n\n' | grep -v '^$' || true)
[ -n "$languages" ] || { echo "po/LINGUAS lists no language"; exit 0; }

status=0
for language in $languages; do
  if [ ! -f "po/$language.po" ]; then
    echo "po/LINGUAS lists $language, but po/$language.po does not exist" >&2
    status=1
    continue
  fi
  msgmerge --quiet --no-fuzzy-matching --output-file="$work/$language.po" \
    "po/$language.po" "$work/palisade.pot"
  if ! stats=$(LC_ALL=C msgfmt --check --statistics --output-file=/dev/null "$work/$language.po" 2>&1); then
    echo "$language: msgfmt --check failed:" >&2
    echo "$stats" >&2
    status=1
    continue
  fi
  case $stats in
    *untranslated*|*fuzzy*)
      echo "$language: $stats" >&2
      echo "$language: translate these (po/$language.po, after msgmerge with the current POT):" >&2
      msgattrib --untranslated --no-obsolete "$work/$language.po" | grep '^msgid ' | sed 's/^/  /' >&2
      status=1 ;;
    *)
      echo "$language: $stats" ;;
  esac
done
exit $status
