# Sourced by tools/run, tools/test and .ci/run: installs what
# tools/debian-packages.txt lists and this machine lacks. Nothing else
# installs anything, so a fresh Debian 12 machine needs no step by hand.

palisade_install_deps () {
  local top list missing pkg sudo=""
  top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  list=$(grep -v '^[[:space:]]*\(#\|$\)' "$top/tools/debian-packages.txt")
  missing=()
  for pkg in $list; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "Installing: ${missing[*]}" >&2
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
    $sudo apt-get update >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2
  fi
}

# Tells on stderr how long phase $1, started at $2 (in $SECONDS), took.
palisade_took () {
  echo "tools/test: $1 took $((SECONDS - $2)) s" >&2
}

# Configures (once) and builds the tree in $1 (default: build).
palisade_build () {
  local top dir
  top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  dir=${1:-$top/build}
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$top" --werror >&2 || return 1
  fi
  ninja -C "$dir" >&2
}
