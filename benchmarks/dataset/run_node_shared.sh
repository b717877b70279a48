#!/usr/bin/env bash
# One copy of a dataset per node against each rank reading its own, on the 2M-row student file,
# side by side in one run on each MPI: what the read adds to the node's memory (the sum over the
# ranks of their Pss, after every rank has touched all of its dataset) at 4 ranks, against one
# rank's private read; and the read's wall time at 2 ranks against one rank's private read with
# the same threads. Each configuration runs once per round, the rounds interleaved; the table
# shows medians and each run's figure.
#
#   benchmarks/dataset/run_node_shared.sh [rows] [rounds]      (default 2000000 and 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
rows="${1:-2000000}"
rounds="${2:-5}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for mpi in mpich openmpi; do
  preset=bench; [ $mpi = openmpi ] && preset=bench-openmpi
  cmake --preset $preset >/dev/null
  cmake --build --preset $preset --target node_shared_read make_student_data >/dev/null
  bin=build/$preset
  mkdir -p build/bench/data
  file=build/bench/data/students-$rows-comma.csv
  [ -f "$file" ] || "$bin/examples/make_student_data" --rows "$rows" --seed 1 --out "$file"
  # Open MPI binds each rank to one core by default, where a rank's threads would share it.
  launch="mpiexec.$mpi"; [ $mpi = openmpi ] && launch="mpiexec.openmpi --oversubscribe --bind-to none"
  configs=("1 private 1" "4 private 1" "4 shared 1" "2 shared 1" "1 private 2" "2 shared 2")
  declare -A pss=() secs=()
  for round in $(seq "$rounds"); do
    for c in "${configs[@]}"; do
      read -r n mode threads <<< "$c"
      out=$($launch -n "$n" "$bin/benchmarks/node_shared_read" "$file" "$mode" --threads "$threads")
      pss[$c]+="$(echo "$out" | sed -n 's/.*pss_added_mib=\([0-9.]*\).*/\1/p') "
      secs[$c]+="$(echo "$out" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p') "
    done
  done
  echo "### $mpi, $rows rows ($(du -m "$file" | cut -f1) MB), $rounds rounds"
  echo
  echo "| ranks | read | threads | Pss added, all ranks (MiB, median) | seconds (median) | seconds, each run |"
  echo "|---|---|---|---|---|---|"
  for c in "${configs[@]}"; do
    read -r n mode threads <<< "$c"
    echo "| $n | $mode | $threads | $(echo "${pss[$c]}" | median) | $(echo "${secs[$c]}" | median) | ${secs[$c]}|"
  done
  p1=$(echo "${pss["1 private 1"]}" | median); p4=$(echo "${pss["4 private 1"]}" | median)
  s4=$(echo "${pss["4 shared 1"]}" | median)
  awk -v p1="$p1" -v p4="$p4" -v s4="$s4" -v t1="$(echo "${secs["1 private 1"]}" | median)" \
      -v t2="$(echo "${secs["2 shared 1"]}" | median)" -v u1="$(echo "${secs["1 private 2"]}" | median)" \
      -v u2="$(echo "${secs["2 shared 2"]}" | median)" 'BEGIN {
    printf "\nMemory at 4 ranks against one private read: node_shared %.2fx, private reads %.2fx (target <= 1.25x).\n", s4 / p1, p4 / p1
    printf "Wall time at 2 ranks against one private read: %.2fx with 1 thread, %.2fx with 2 (target <= 1.10x).\n\n", t2 / t1, u2 / u1 }'
  unset pss secs
done
