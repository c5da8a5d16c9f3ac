#!/bin/sh
# test-install.sh MESON BUILD_DIR EXPECTED LINGUAS NAME=DIR…
#
# Runs "meson install" into a temporary DESTDIR and compares the installed
# files with EXPECTED (tests/desktop/install-files.txt), whose @NAME@ stand
# for the directories given as NAME=DIR (absolute, or relative to prefix=).
# Each language of LINGUAS (po/LINGUAS) adds its .mo. On a difference it
# prints a unified diff: - a file expected but not installed, + a file
# installed but not expected. Programs must be executable.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

meson=$1 build_dir=$2 expected=$3 linguas=$4
shift 4

destdir=$(mktemp -d "${TMPDIR:-/tmp}/palisade-install-XXXXXX")
trap 'rm -rf "$destdir"' EXIT

prefix=
for pair in "$@"; do
  case $pair in prefix=*) prefix=${pair#prefix=} ;; esac
done
[ -n "$prefix" ] || { echo "test-install.sh: no prefix= given" >&2; exit 2; }

# A sed script that turns @NAME@ into the absolute directory.
substitutions=
for pair in "$@"; do
  name=${pair%%=*} dir=${pair#*=}
  case $dir in /*) ;; *) dir=$prefix/$dir ;; esac
  substitutions="$substitutions s|@$name@|$dir|g;"
done

localedir=$(printf '@localedir@\n' | sed "$substitutions")
{
  grep -v -e '^#' -e '^$' "$expected" | sed "$substitutions"
  sed -e 's/#.*//' "$linguas" | tr ' \t' '\n\n' | grep -v '^$' |
    while read -r language; do
      echo "$localedir/$language/LC_MESSAGES/palisade.mo"
    done
} | LC_ALL=C sort > "$destdir.expected"
trap 'rm -rf "$destdir" "$destdir.expected" "$destdir.installed"' EXIT

# Read under the lock the installing tests hold (keep-install-log.sh), so a
# test that installs at the same time is never seen halfway; a fresh build
# has no list yet.
install_log() {
  mkdir -p "$build_dir/meson-logs"
  flock "$build_dir/meson-logs/.install-log.lock" \
    sh -c 'cat "$1" 2> /dev/null || true' sh "$build_dir/meson-logs/install-log.txt"
}
log_before=$(install_log)
if ! "$(dirname "$0")/keep-install-log.sh" "$build_dir" \
       "$meson" install -C "$build_dir" --destdir "$destdir" --no-rebuild --quiet > "$destdir.log" 2>&1; then
  cat "$destdir.log"
  rm -f "$destdir.log"
  echo "test-install.sh: meson install failed" >&2
  exit 1
fi
rm -f "$destdir.log"

(cd "$destdir" && find . \( -type f -o -type l \) | sed 's|^\.||') | LC_ALL=C sort > "$destdir.installed"

if ! diff -u --label expected --label installed "$destdir.expected" "$destdir.installed"; then
  echo "test-install.sh: the installed files differ from $expected (- expected, + installed);" >&2
  echo "update that list when the change is intended" >&2
  exit 1
fi

status=0
for program in $(grep -e '^@bindir@/' -e '^@libexecdir@/' "$expected" | sed "$substitutions"); do
  if [ ! -x "$destdir$program" ]; then
    echo "test-install.sh: $program is not executable" >&2
    status=1
  fi
done
# The list "ninja uninstall" removes is still the user's, not this DESTDIR.
if [ "$(install_log)" != "$log_before" ]; then
  echo "test-install.sh: the install into a DESTDIR replaced $build_dir/meson-logs/install-log.txt" >&2
  exit 1
fi
echo "$(wc -l < "$destdir.installed") files installed as expected under $prefix"
exit $status
