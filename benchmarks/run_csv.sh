#!/usr/bin/env bash
# CSV read benchmark: baton's local_dataset::read_csv against pandas.read_csv on the same
# generated file, in one run, then baton's partitioned read on 1 and 2 ranks.
# Needs a built mpich preset and Debian's python3-pandas.
#   benchmarks/run_csv.sh [rows]     (default 2000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-2000000}"
bin=build/mpich
data="$bin/bench/students-$rows.csv"
mkdir -p "$bin/bench"
[ -f "$data" ] || "$bin/examples/make_student_data" --rows "$rows" --seed 1 --out "$data"
echo "file: $data ($(du -m "$data" | cut -f1) MB, $rows rows, 33 columns)"
for round in 1 2; do
  echo "--- round $round"
  /usr/bin/python3 benchmarks/csv_pandas.py "$data" 3
  mpiexec.mpich -n 1 "$bin/benchmarks/csv_read" "$data" --repeat 3 | sed 's/^/baton,/'
done
echo "--- partitioned (each rank reads its share)"
for n in 1 2; do
  mpiexec.mpich -n "$n" "$bin/benchmarks/csv_read" "$data" --partitioned --repeat 3 | sed 's/^/baton,/'
done
