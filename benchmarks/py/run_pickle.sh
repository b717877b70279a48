#!/usr/bin/env bash
# baton::py::unpickle/pickle against CPython's pickle.loads/dumps on the same bytes, in one run,
# alternating the two sides: docs/performance.md's pickle table.
#   benchmarks/py/run_pickle.sh [rounds]   (default 15; from the repository's root, after
#                                        cmake --preset bench && cmake --build --preset bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-15}"
python=/usr/bin/python3
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
"$python" benchmarks/py/pickle_codec.py write "$dir"
for pass in 1 2 3; do
  build/bench/benchmarks/pickle_codec "$dir" "$rounds"
  "$python" benchmarks/py/pickle_codec.py time "$dir" "$rounds"
done > "$dir/times.txt"
echo "| payload | pass | baton unpickle (µs) | pickle.loads (µs) | ratio | baton pickle (µs) | pickle.dumps (µs) | ratio |"
echo "|---|---|---|---|---|---|---|---|"
awk '{ side[$1 " " $2] = $3 " " $4; order[NR] = $1 " " $2 }
     $2 == "python" { split(side[$1 " baton"], b, " "); pass[$1]++;
       printf "| %s | %d | %.0f | %.0f | %.1fx | %.0f | %.0f | %.1fx |\n", $1, pass[$1], b[1], $3, $3 / b[1], b[2], $4, $4 / b[2] }' "$dir/times.txt"
