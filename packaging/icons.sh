#!/usr/bin/env bash
# Rasterises assets/icon/gloss.svg into every PNG size the packagers use
# (hicolor theme sizes for the .deb, 1024 for fyne package/macOS .icns and
# the embedded window icon) plus a multi-size gloss.ico for the NSIS installer.
# The outputs are committed so builders (and the macOS/Windows CI runners)
# need no SVG renderer; run this again only after editing the SVG.
set -euo pipefail
cd "$(dirname "$0")/../assets/icon"

command -v rsvg-convert >/dev/null || { echo "icons.sh: rsvg-convert missing (apt-get install librsvg2-bin)" >&2; exit 1; }
command -v convert >/dev/null || { echo "icons.sh: ImageMagick convert missing" >&2; exit 1; }

for s in 16 24 32 48 64 128 256 512; do
  rsvg-convert -w "$s" -h "$s" gloss.svg -o "gloss-$s.png"
done
# gloss.png is the 1024px master, given to fyne package, which derives the
# macOS .icns from it; gloss-256.png is the embedded window icon (assets.IconPNG).
rsvg-convert -w 1024 -h 1024 gloss.svg -o gloss.png
# macOS: fyne package shrinks the icon onto Apple's 824px grid and rounds
# its corners itself, so it gets the tile full-bleed (SVG rendered at
# 1024*1024/896 and the 64px margin cropped away).
rsvg-convert -w 1170 -h 1170 gloss.svg | convert - -crop 1024x1024+73+73 +repage gloss-macos.png
# Windows shell icon sizes; 256 is stored PNG-compressed by ImageMagick.
convert gloss-16.png gloss-24.png gloss-32.png gloss-48.png gloss-64.png gloss-128.png gloss-256.png gloss.ico
echo "icons.sh: wrote the PNGs and gloss.ico in assets/icon"
