#!/usr/bin/env bash
# What the two diagnostics cost when they are on (MPICH, 2 ranks, Release): an 8-byte vector's
# one-way latency with and without BATON_HANG_TIMEOUT (the watchdog's registration of every
# blocking call), and an 8-byte broadcast and all_reduce with and without
# BATON_CHECK_COLLECTIVES=1 (two more collectives per call). Each pair alternates, ROUNDS times;
# the table gives each round's medians (the programs' own) and the median of the ratios.
# Usage: benchmarks/runtime/run_diagnostics_cost.sh [ROUNDS]   (docs/performance.md,
# "Hang reports and collective checks")
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
cmake --preset bench >/dev/null
cmake --build --preset bench --target pingpong collectives >/dev/null
bin=build/bench/benchmarks
launch=(mpiexec.mpich -n 2)
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
# The one-way time (µs) of a table row: "| payload | variant | MPICH one-way | ..."
p2p() { "${launch[@]}" "$bin/pingpong" --rounds 7 --max-bytes 8 | awk -F'|' -v v="baton recv (new vector)" \
  '$2 ~ /vector<double> 8 B/ && index($3, v) > 0 {gsub(/[^0-9.]/, "", $4); print $4}'; }
# baton's time (µs) for an operation at 8 B: "| op | payload | baton | ..."
coll() { "${launch[@]}" "$bin/collectives" --rounds 5 --max-bytes 8 | awk -F'|' -v op="$1" \
  '$2 ~ "^ *"op" *$" && $3 ~ /8 B/ {gsub(/[^0-9.]/, "", $4); print $4}'; }
declare -a r_p2p r_bcast r_reduce
for ((r = 1; r <= rounds; ++r)); do
  off=$(p2p); on=$(BATON_HANG_TIMEOUT=600 p2p)
  r_p2p+=("$(awk -v a="$on" -v b="$off" 'BEGIN {printf "%.3f", a / b}')")
  echo "round $r: recv of 8 B, watchdog off $off us, on $on us"
  boff=$(coll broadcast); bon=$(BATON_CHECK_COLLECTIVES=1 coll broadcast)
  roff=$(coll "all_reduce \\(plus\\)"); ron=$(BATON_CHECK_COLLECTIVES=1 coll "all_reduce \\(plus\\)")
  r_bcast+=("$(awk -v a="$bon" -v b="$boff" 'BEGIN {printf "%.3f", a / b}')")
  r_reduce+=("$(awk -v a="$ron" -v b="$roff" 'BEGIN {printf "%.3f", a / b}')")
  echo "round $r: broadcast of 8 B, check off $boff us, on $bon us; all_reduce of 8 B, off $roff us, on $ron us"
done
echo "median ratio, watchdog on / off, 8-byte recv: $(printf '%s\n' "${r_p2p[@]}" | median)"
echo "median ratio, check on / off, 8-byte broadcast: $(printf '%s\n' "${r_bcast[@]}" | median)"
echo "median ratio, check on / off, 8-byte all_reduce: $(printf '%s\n' "${r_reduce[@]}" | median)"
