#!/usr/bin/env bash
# Rewrites the generated seeds of tests/fuzz/corpus/<target>/seed-*:
# chz-fuzz-seeds (seeds_main.cpp) for everything the real encoders make,
# content/testdata's banks for the importers, and Python (openpyxl, xlwt,
# as the registry tests use) for registry XLSX/XLS. Inputs the fuzzer found
# (files not named seed-*) are left alone.
#   tests/fuzz/make_seeds.sh [BUILD_DIR]     (default build/)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
corpus=$root/tests/fuzz/corpus
cmake --build "$build" -j"${CHZ_JOBS:-2}" --target chz-fuzz-seeds >/dev/null
find "$corpus" -name 'seed-*' -delete 2>/dev/null || true
"$build/tests/fuzz/chz-fuzz-seeds" "$corpus"
td=$root/content/testdata
mkdir -p "$corpus/gift" "$corpus/aiken" "$corpus/csv" "$corpus/registry"
for f in bank.gift bank_errors.gift; do cp "$td/$f" "$corpus/gift/seed-$f"; done
for f in bank.aiken bank_errors.aiken; do cp "$td/$f" "$corpus/aiken/seed-$f"; done

for f in "$td"/*.csv; do cp "$f" "$corpus/csv/seed-$(basename "$f")"; done
/usr/bin/python3 - "$corpus/registry" <<'PY'
import sys
out = sys.argv[1]
def make_id(first17):  # GB 11643 mod 11-2 check character
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * k for c, k in zip(first17, w)) % 11]
rows = [["劳动力建档立卡花名册"], ["姓名", "身份证号", "性别", "乡镇", "村", "联系电话", "就业状态", "重点群体"],
        ["王建䶮", make_id("14052119880229011"), "男", "城关镇", "南关村", "13800138000", "已就业", "退役军人"],
        ["张𠮷", 140521199003071230, "女", "东岭乡", "", 13800138000, "", "贫困劳动力"]]
try:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    ws["A8"] = "稀疏"
    wb.save(out + "/seed-registry.xlsx")
except ImportError:
    print("make_seeds: no openpyxl, no registry XLSX seed", file=sys.stderr)
try:
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("花名册")
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            ws.write(i, j, v)
    wb.save(out + "/seed-registry.xls")
except ImportError:
    print("make_seeds: no xlwt, no registry XLS seed", file=sys.stderr)
PY
du -sh "$corpus"
