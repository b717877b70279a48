#!/usr/bin/env bash
# CSV read benchmark, side by side in one run: baton's read_csv (1 and 2 threads), pandas, and,
# when their Node packages are installed, polars and DuckDB (1 and 2 threads), on three
# generated files: the student data in the tutorial's layout (',') and in the UCI original's
# (';', text quoted), and a float-heavy file (make_float_data). Each tool reads each file in
# three separate processes, interleaved; the table shows the median throughput (the read
# alone, timed inside the process) and the median peak memory (/usr/bin/time's %M, the mapped
# file's pages included; Node's own, measured for an empty script, taken off polars' and
# DuckDB's). Then the tutorial-layout file compressed with gzip and zstd: baton at 1 and 2
# threads against decompressing alone (benchmarks/floors/inflate_floor, one thread, zlib/libzstd);
# and baton's partitioned read on 2 ranks.
#
#   benchmarks/dataset/run_csv.sh [rows] [float_rows]        (default 2000000 and 1500000)
#
# pandas: Debian's python3-pandas. polars and DuckDB (optional, not needed by the build or the
# tests): in a folder of your choice,
#   npm i -E nodejs-polars@0.25.2 nodejs-polars-linux-x64-gnu@0.25.2 @duckdb/node-api@1.5.6-r.1
# and pass it as NODE_MODULES=that/node_modules (default /opt/csvbench/node_modules).
set -euo pipefail
cd "$(dirname "$0")/../.."
rows="${1:-2000000}"
float_rows="${2:-1500000}"
node_modules="${NODE_MODULES:-/opt/csvbench/node_modules}"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cmake --preset bench >/dev/null
cmake --build --preset bench --target csv_read inflate_floor real_floor make_student_data make_float_data >/dev/null
bin=build/bench
mkdir -p "$bin/data"
comma="$bin/data/students-$rows-comma.csv"
uci="$bin/data/students-$rows-uci.csv"
floats="$bin/data/floats-$float_rows.csv"
[ -f "$comma" ] || "$bin/examples/make_student_data" --rows "$rows" --seed 1 --out "$comma"
[ -f "$uci" ] || "$bin/examples/make_student_data" --rows "$rows" --seed 1 --out "$uci" --sep ';' --quote
[ -f "$floats" ] || "$bin/examples/make_float_data" --rows "$float_rows" --seed 1 --out "$floats"

tools=("baton 1" "baton 2" "pandas 1")
node_rss_kb=0
if command -v node >/dev/null && [ -d "$node_modules/nodejs-polars" ] && [ -d "$node_modules/@duckdb/node-api" ]; then
  tools+=("polars 1" "polars 2" "duckdb 1" "duckdb 2")
  export NODE_PATH="$node_modules"
  node_rss_kb=$(/usr/bin/time -f %M node -e "" 2>&1 >/dev/null)
  echo "polars and DuckDB from $node_modules; Node alone: $((node_rss_kb / 1024)) MB"
else
  echo "polars and DuckDB skipped (no node, or no packages in $node_modules)"
fi

# run TOOL THREADS FILE SEP: prints "seconds peak_MB" for one read in a fresh process.
run() {
  local tool=$1 threads=$2 file=$3 sep=$4 out kb
  case $tool in
    baton) out=$(/usr/bin/time -o "$bin/time.txt" -f %M "$bin/benchmarks/csv_read" "$file" --threads "$threads") ;;
    pandas) out=$(/usr/bin/time -o "$bin/time.txt" -f %M /usr/bin/python3 benchmarks/dataset/csv_pandas.py "$file" "$sep" 1) ;;
    polars) out=$(POLARS_MAX_THREADS=$threads /usr/bin/time -o "$bin/time.txt" -f %M \
                    node benchmarks/dataset/csv_node.js polars "$file" "$threads" "$sep") ;;
    duckdb) out=$(/usr/bin/time -o "$bin/time.txt" -f %M node benchmarks/dataset/csv_node.js duckdb "$file" "$threads" "$sep") ;;
  esac
  kb=$(tail -1 "$bin/time.txt")
  [ "$tool" = polars ] || [ "$tool" = duckdb ] && kb=$((kb - node_rss_kb))
  echo "$(echo "$out" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p') $((kb / 1024))"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "| file | tool | threads | MB/s (median of 3) | peak MB (median) | seconds, each run |"
echo "|---|---|---|---|---|---|"
for spec in "$comma|,|student, tutorial layout" "$uci|;|student, UCI layout (quoted)" "$floats|,|float-heavy"; do
  IFS='|' read -r file sep label <<< "$spec"
  mb=$(du -m "$file" | cut -f1)
  declare -A seconds=() peaks=()
  for round in 1 2 3; do
    for t in "${tools[@]}"; do
      read -r s p <<< "$(run ${t% *} ${t#* } "$file" "$sep")"
      seconds[$t]+="$s "
      peaks[$t]+="$p "
    done
  done
  for t in "${tools[@]}"; do
    s=$(echo "${seconds[$t]}" | tr ' ' '\n' | grep . | median)
    p=$(echo "${peaks[$t]}" | tr ' ' '\n' | grep . | median)
    awk -v f="$label, $mb MB" -v tool="${t% *}" -v th="${t#* }" -v mb="$mb" -v s="$s" -v p="$p" -v all="${seconds[$t]}" \
      'BEGIN { printf "| %s | %s | %s | %.0f | %d | %s|\n", f, tool, th, mb / s, p, all }'
  done
  unset seconds peaks
done

echo "--- the float-heavy file's floor: mapping its pages, converting its reals into fresh columns (benchmarks/floors/real_floor, best of 3)"
"$bin/benchmarks/real_floor" "$floats" --repeat 3 2>/dev/null

echo "--- compressed ($comma, gzip -6 and zstd -3), medians of 3"
[ -f "$comma.gz" ] || gzip -6 -k "$comma"
[ -f "$comma.zst" ] || zstd -q -3 -k "$comma"
for packed in "$comma.gz" "$comma.zst"; do
  floor=$(for i in 1 2 3; do "$bin/benchmarks/inflate_floor" "$packed" --repeat 1 | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p'; done | median)
  for t in 1 2; do
    s=$(for i in 1 2 3; do run baton "$t" "$packed" ,; done | cut -d' ' -f1 | median)
    awk -v f="$packed" -v t="$t" -v s="$s" -v fl="$floor" \
      'BEGIN { printf "%s: baton, %d thread(s): %.3f s; decompressing alone: %.3f s; baton reads at %.0f%% of that speed\n", f, t, s, fl, 100 * fl / s }'
  done
done

echo "--- partitioned (each rank reads its share, 1 thread)"
for file in "$comma" "$uci" "$floats"; do
  echo "baton,$(mpiexec.mpich -n 2 "$bin/benchmarks/csv_read" "$file" --partitioned --repeat 3)"
done
