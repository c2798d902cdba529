#!/bin/sh
# Render every pictogram at 128 and 64 px on the kiosk's light (#F5F5F5) and
# dark-blue (#1E3A5F) button colours and assemble one contact sheet PNG.
# Each icon is rendered by rsvg-convert (librsvg, the library the kiosk uses);
# the sheet is an SVG that embeds those PNGs and is rendered by rsvg-convert too.
# Usage: app/ui/icons/contact_sheet.sh [OUT.png]   (default docs/screenshots/pictograms.png)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../../docs/screenshots/pictograms.png}
command -v rsvg-convert >/dev/null || { echo "contact_sheet: rsvg-convert not found (apt-get install librsvg2-bin)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for svg in "$here"/*.svg; do
  n=$(basename "$svg" .svg)
  rsvg-convert -w 128 -h 128 "$svg" -o "$tmp/$n.128.png"
  rsvg-convert -w 64 -h 64 "$svg" -o "$tmp/$n.64.png"
done
python3 - "$here" "$tmp" > "$tmp/sheet.svg" <<'PY'
import base64, glob, os, sys
here, tmp = sys.argv[1], sys.argv[2]
names = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(here, "*.svg")))
def uri(p):
    return "data:image/png;base64," + base64.b64encode(open(p, "rb").read()).decode()
COLS, PAD = 3, 10
half = PAD + 128 + PAD + 64 + PAD           # one background swatch
cw, ch = 2 * half + PAD, 128 + 2 * PAD + 26  # one cell: light + dark swatch, label
W, H = COLS * cw + PAD, ((len(names) + COLS - 1) // COLS) * ch + PAD
o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}">',
     f'<rect width="{W}" height="{H}" fill="#FFFFFF"/>']
for i, n in enumerate(names):
    x0, y0 = PAD + (i % COLS) * cw, PAD + (i // COLS) * ch
    for k, bg in enumerate(("#F5F5F5", "#1E3A5F")):
        bx = x0 + k * half
        o.append(f'<rect x="{bx}" y="{y0}" width="{half}" height="{128 + 2 * PAD}" rx="8" fill="{bg}"/>')
        o.append(f'<image x="{bx + PAD}" y="{y0 + PAD}" width="128" height="128" href="{uri(os.path.join(tmp, n + ".128.png"))}"/>')
        o.append(f'<image x="{bx + 2 * PAD + 128}" y="{y0 + PAD + 64}" width="64" height="64" href="{uri(os.path.join(tmp, n + ".64.png"))}"/>')
    o.append(f'<text x="{x0 + 4}" y="{y0 + 128 + 2 * PAD + 19}" font-family="DejaVu Sans" font-size="16" fill="#263238">{n}.svg</text>')
o.append("</svg>")
print("\n".join(o))
PY
mkdir -p "$(dirname "$out")"
rsvg-convert "$tmp/sheet.svg" -o "$out"
echo "contact_sheet: $(find "$here" -maxdepth 1 -name "*.svg" | wc -l) pictograms -> $out ($(wc -c < "$out") bytes)"
