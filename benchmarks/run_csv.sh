#!/usr/bin/env bash
# CSV read benchmark: baton's local_dataset::read_csv against pandas.read_csv on the same
# generated files, alternating in one run, then baton's partitioned read on 1 and 2 ranks.
# Two files of the same rows: the tutorial's comma-separated layout, and the UCI original's
# (';', text quoted). Builds the `bench` preset (Release); needs Debian's python3-pandas.
#   benchmarks/run_csv.sh [rows]     (default 2000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-2000000}"
cmake --preset bench >/dev/null
cmake --build --preset bench --target csv_read make_student_data >/dev/null
bin=build/bench
mkdir -p "$bin/data"
comma="$bin/data/students-$rows-comma.csv"
uci="$bin/data/students-$rows-uci.csv"
[ -f "$comma" ] || "$bin/examples/make_student_data" --rows "$rows" --seed 1 --out "$comma"
[ -f "$uci" ] || "$bin/examples/make_student_data" --rows "$rows" --seed 1 --out "$uci" --sep ';' --quote

seconds() { sed -n 's/.*seconds=\([0-9.]*\).*/\1/p'; }
for spec in "$comma|," "$uci|;"; do
  file="${spec%|*}" sep="${spec#*|}"
  echo "=== $file ($(du -m "$file" | cut -f1) MB, $rows rows, separator '$sep')"
  for round in 1 2; do
    p=$(/usr/bin/python3 benchmarks/csv_pandas.py "$file" "$sep" 3)
    b=$(mpiexec.mpich -n 1 "$bin/benchmarks/csv_read" "$file" --repeat 3)
    echo "$p"
    echo "baton,$b"
    awk -v p="$(echo "$p" | seconds)" -v b="$(echo "$b" | seconds)" \
      'BEGIN { printf "round %d: baton is %.1fx faster than pandas\n", '"$round"', p / b }'
  done
  echo "--- partitioned (each rank reads its share)"
  for n in 1 2; do
    echo "baton,$(mpiexec.mpich -n "$n" "$bin/benchmarks/csv_read" "$file" --partitioned --repeat 3)"
  done
done
