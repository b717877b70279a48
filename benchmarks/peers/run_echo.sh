#!/usr/bin/env bash
# The tutorial's payload echoed to a Python rank 0 by an mpi4py rank 1 and by a baton rank 1,
# alternating, ROUNDS times each (Open MPI: the MPI Debian's mpi4py is built for). Prints each
# round's median round trip and the median of the rounds' ratios baton / mpi4py.
# Usage: benchmarks/peers/run_echo.sh [ROUNDS] [REPS]   (docs/performance.md, "Python peers")
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
reps=${2:-2000}
cmake --preset bench-openmpi >/dev/null
cmake --build --preset bench-openmpi --target echo_peer >/dev/null
launch=(mpiexec.openmpi --allow-run-as-root)
script=benchmarks/peers/echo.py
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
ratios=()
for ((r = 1; r <= rounds; ++r)); do
  py=$("${launch[@]}" -n 1 /usr/bin/python3 "$script" "$reps" : -n 1 /usr/bin/python3 "$script" "$reps" |
       sed -n 's/round_trip_us=//p')
  cxx=$("${launch[@]}" -n 1 /usr/bin/python3 "$script" "$reps" : -n 1 build/bench-openmpi/benchmarks/echo_peer "$reps" |
        sed -n 's/round_trip_us=//p')
  ratio=$(awk -v a="$cxx" -v b="$py" 'BEGIN {printf "%.3f", a / b}')
  ratios+=("$ratio")
  echo "round $r: mpi4py echo $py us, baton echo $cxx us, baton / mpi4py $ratio"
done
echo "median of the rounds' ratios baton / mpi4py: $(printf '%s\n' "${ratios[@]}" | median)"
