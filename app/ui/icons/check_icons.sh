#!/bin/sh
# Check every kiosk pictogram (app/ui/icons/*.svg):
#  1. well-formed XML (xmllint --noout if installed, else python3 xml.etree);
#  2. the style rules of README.md: root <svg> with viewBox="0 0 96 96", only
#     svg/rect/circle/line/polyline/polygon/path elements (no text, image,
#     use, filter, mask, gradient, style, script), no href, url(...), style, class,
#     transform or opacity; the plate first, colours from the palette,
#     strokes 6-8 wide;
#  3. rendered by rsvg-convert at 96 px, the PNG is not blank: more than 5% of
#     its pixels are non-transparent, and more than 5% of the area inside the
#     white plate is ink (opaque, not white), so a plate with no glyph fails too.
# Prints one line per failure with the file name; exits 1 if any failed, 0 if
# all passed, 77 (skip) if rsvg-convert or python3 is missing.
# Usage: app/ui/icons/check_icons.sh [DIR]   (default: the directory of this script)
set -u
dir=${1:-$(cd "$(dirname "$0")" && pwd)}
for tool in rsvg-convert python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: check_icons: $tool not found" >&2; exit 77; }
done
have_xmllint=0; command -v xmllint >/dev/null 2>&1 && have_xmllint=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; bad=0
for svg in "$dir"/*.svg; do
  [ -e "$svg" ] || { echo "check_icons: no .svg files in $dir" >&2; exit 1; }
  n=$((n + 1)); name=$(basename "$svg")
  if [ "$have_xmllint" = 1 ]; then
    if ! err=$(xmllint --noout "$svg" 2>&1); then
      echo "FAIL $name: not well-formed XML: $err"; bad=$((bad + 1)); continue
    fi
  fi
  png="$tmp/${name%.svg}.png"
  if ! err=$(rsvg-convert -w 96 -h 96 "$svg" -o "$png" 2>&1); then
    echo "FAIL $name: rsvg-convert failed: $err"; bad=$((bad + 1)); continue
  fi
  if ! python3 - "$svg" "$png" <<'PY'
import re, struct, sys, zlib
import xml.etree.ElementTree as ET
svg, png = sys.argv[1], sys.argv[2]
name = svg.rsplit("/", 1)[-1]
def fail(msg):
    print(f"FAIL {name}: {msg}")
    sys.exit(1)
NS = "{http://www.w3.org/2000/svg}"
ALLOWED = {"svg", "rect", "circle", "line", "polyline", "polygon", "path"}
try:
    root = ET.parse(svg).getroot()
except ET.ParseError as e:
    fail(f"not well-formed XML: {e}")
if root.tag != NS + "svg":
    fail(f"root element is {root.tag}, not an SVG <svg>")
if root.get("viewBox") != "0 0 96 96":
    fail(f'viewBox is {root.get("viewBox")!r}, not "0 0 96 96"')
for el in root.iter():
    tag = el.tag[len(NS):] if el.tag.startswith(NS) else el.tag
    if tag not in ALLOWED:
        fail(f"element <{tag}> is not allowed (only {', '.join(sorted(ALLOWED))})")
    for k, v in el.attrib.items():
        if k.endswith("href") or "url(" in v or k in ("style", "class", "filter", "mask", "clip-path", "transform", "opacity",
                                                                 "fill-opacity", "stroke-opacity", "font-family"):
            fail(f"<{tag}> attribute {k}={v!r} is not allowed (no references, styles, fonts, transforms or opacity)")
PALETTE = {"#1B873F", "#C62828", "#1565C0", "#E08A00", "#263238", "#FFFFFF", "none"}
PLATE = {"x": "3", "y": "3", "width": "90", "height": "90", "rx": "18",
         "fill": "#FFFFFF", "stroke": "#90A4AE", "stroke-width": "2"}
shapes = list(root)
if not shapes or shapes[0].tag != NS + "rect" or shapes[0].attrib != PLATE:
    fail('the first element is not the plate <rect x="3" y="3" width="90" height="90" rx="18" '
         'fill="#FFFFFF" stroke="#90A4AE" stroke-width="2"/>')
for el in root.iter():
    if el is root or el is shapes[0]:
        continue
    tag = el.tag[len(NS):]
    for k in ("fill", "stroke"):
        v = el.get(k)
        if v is not None and v.upper() not in {c.upper() for c in PALETTE}:
            fail(f"<{tag}> {k}={v!r} is not in the palette ({', '.join(sorted(PALETTE))})")
    sw = el.get("stroke-width")
    try:
        ok = sw is not None and 6 <= float(sw) <= 8
    except ValueError:
        ok = False
    if el.get("stroke") not in (None, "none") and not ok:
        fail(f"<{tag}> stroke-width={sw!r}: strokes are 6 to 8 wide")
# Decode the PNG by hand (8-bit RGBA or RGB, not interlaced: what rsvg-convert writes).
data = open(png, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    fail("rendering is not a PNG")
pos, idat, hdr = 8, b"", None
while pos < len(data):
    ln, typ = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + ln]
    if typ == b"IHDR": hdr = struct.unpack(">IIBBBBB", body)
    elif typ == b"IDAT": idat += body
    pos += 12 + ln
w, h, depth, ctype, _, _, interlace = hdr
if depth != 8 or ctype not in (2, 6) or interlace:
    fail(f"unexpected PNG format (depth {depth}, colour type {ctype}, interlace {interlace})")
bpp = 4 if ctype == 6 else 3
raw, stride = zlib.decompress(idat), w * bpp
rows, prev = [], bytearray(stride)
for y in range(h):
    ft, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if ft == 1: line[i] = (line[i] + a) & 255
        elif ft == 2: line[i] = (line[i] + b) & 255
        elif ft == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif ft == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
opaque = ink = inner = 0
m0, m1 = w * 12 // 96, w * 84 // 96          # inside the plate, clear of its border
for y, line in enumerate(rows):
    for x in range(w):
        r, g, b = line[x * bpp:x * bpp + 3]
        alpha = line[x * bpp + 3] if bpp == 4 else 255
        if alpha: opaque += 1
        if m0 <= x < m1 and m0 <= y < m1:
            inner += 1
            if alpha >= 128 and min(r, g, b) < 235: ink += 1
share, ink_share = opaque / (w * h), ink / inner
if share <= 0.05:
    fail(f"blank rendering: {share:.1%} non-transparent pixels (need > 5%)")
if ink_share <= 0.05:
    fail(f"no glyph: {ink_share:.1%} ink inside the plate (need > 5%)")
print(f"ok   {name}: {share:.0%} non-transparent, {ink_share:.0%} ink")
PY
  then bad=$((bad + 1)); fi
done
[ "$have_xmllint" = 1 ] || echo "note: xmllint not found, XML checked by python3 xml.etree only"
if [ "$bad" -gt 0 ]; then echo "check_icons: $bad of $n pictograms FAILED"; exit 1; fi
echo "check_icons: all $n pictograms passed"
