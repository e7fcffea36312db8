#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Gloss needs to build, test and run.
# Shared by `make run`, `make test` and .ci/run so a fresh machine needs nothing else.
# Usage: scripts/deps.sh [build|test|dist]
set -euo pipefail

want=(gcc pkg-config libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev fonts-noto-cjk)
case "${1:-build}" in
  build) ;;
  test) want+=(xvfb xauth imagemagick libxml2-utils poppler-utils dbus-x11 locales x11-utils fonts-droid-fallback fonts-dejavu-core) ;;
  dist) want+=(xvfb xauth imagemagick gcc-mingw-w64-x86-64 nsis desktop-file-utils xz-utils dpkg-dev librsvg2-bin p7zip-full shared-mime-info x11-utils libglib2.0-bin) ;;
  *) echo "deps.sh: unknown profile '$1' (build, test or dist)" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "deps.sh: installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps.sh: done"
