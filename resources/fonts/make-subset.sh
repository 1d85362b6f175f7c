#!/usr/bin/env bash
# Cuts Noto Sans CJK SC (Regular and Bold) down to the characters Till needs:
# ASCII, Latin-1, general punctuation, currency signs, arrows, geometric
# shapes, CJK symbols and punctuation, fullwidth forms, and the 6,763 hanzi
# of GB2312 with its symbol rows. Run it again to refresh the subsets; it needs
# Debian's fonts-noto-cjk and python3-fonttools (apt-get install them first).
set -euo pipefail
cd "$(dirname "$0")"
py=/usr/bin/python3
src=/usr/share/fonts/opentype/noto
face=2 # index of "Noto Sans CJK SC" in the .ttc collections

chars=$(mktemp)
trap 'rm -f "$chars"' EXIT
"$py" - "$chars" <<'PY'
import sys
cps = set()
def span(a, b): cps.update(range(a, b + 1))
span(0x20, 0x7E); span(0xA0, 0xFF); span(0x2000, 0x206F); span(0x20A0, 0x20CF)
span(0x2190, 0x21FF); span(0x2212, 0x2212); span(0x2460, 0x24FF); span(0x25A0, 0x25FF)
span(0x3000, 0x303F); span(0xFF00, 0xFFEF)
for hi in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8)):
    for lo in range(0xA1, 0xFF):
        try:
            cps.update(ord(c) for c in bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
open(sys.argv[1], "w").write(",".join("U+%04X" % c for c in sorted(cps)))
PY

for weight in Regular Bold; do
  "$py" -m fontTools.subset "$src/NotoSansCJK-$weight.ttc" --font-number=$face \
    --unicodes-file=<(tr ',' '\n' < "$chars") \
    --layout-features='kern,liga,locl,ccmp' --no-hinting \
    --name-IDs='*' --name-languages='*' --drop-tables+=DSIG,VORG,vhea,vmtx \
    --output-file="NotoSansSC-$weight-subset.otf"
done
ls -l NotoSansSC-*-subset.otf
