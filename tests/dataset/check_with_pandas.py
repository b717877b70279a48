"""Reads what write_csv wrote with pandas.read_csv (default options) and checks it against the
dataset: same column names, an integer, real or text column each, the same values (reals bit
for bit). Exits 77 (skipped) where pandas is not installed: the build and tests do not need it.
Usage: check_with_pandas.py WRITER OUT_CSV EXPECTED"""
import math
import subprocess
import sys

try:
    import pandas as pd
except ImportError:
    print("pandas is not installed: skipped")
    sys.exit(77)

writer, out_csv, expected_path = sys.argv[1:4]
subprocess.run([writer, out_csv, expected_path], check=True)
frame = pd.read_csv(out_csv)
lines = open(expected_path, encoding="utf-8").read().split("\n")
rows = len(frame)
problems = []
columns = []
at = 0
while at < len(lines) and lines[at]:
    name, kind = lines[at], lines[at + 1]
    values = lines[at + 2 : at + 2 + rows]
    at += 2 + rows
    columns.append(name)
    if name not in frame.columns:
        problems.append(f"pandas has no column {name!r}")
        continue
    col = frame[name]
    want_kind = {"integer": "i", "real": "f", "text": "O"}[kind]
    if col.dtype.kind != want_kind:
        problems.append(f"{name!r}: pandas reads dtype {col.dtype}, the dataset has a {kind} column")
        continue
    for r, want in enumerate(values):
        got = col.iloc[r]
        if want == "<missing>":
            ok = got is None or (isinstance(got, float) and math.isnan(got))
        elif kind == "integer":
            ok = int(got) == int(want)
        elif kind == "real":
            ok = float(got).hex() == float.fromhex(want).hex()
        else:
            ok = got == want.replace("\x01", "\n")
        if not ok:
            problems.append(f"{name!r} row {r}: pandas reads {got!r}, the dataset has {want!r}")
if list(frame.columns) != columns:
    problems.append(f"columns: pandas {list(frame.columns)}, dataset {columns}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"pandas {pd.__version__} reads back {rows} rows x {len(columns)} columns equal to the dataset")
