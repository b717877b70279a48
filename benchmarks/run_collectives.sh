#!/usr/bin/env bash
# Collectives benchmark (benchmarks/collectives.cpp) on both MPIs, at 2 ranks by default; give
# "2 4" as the second argument for 4 ranks as well (oversubscribed on a 2-core machine; MPICH's
# polling ranks then take more than ten minutes at these iteration counts). Builds the bench
# presets (Release).
#   benchmarks/run_collectives.sh [rounds] [rank counts]     (default 5 "2")
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
rank_counts="${2:-2}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
for preset in bench bench-openmpi; do
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" --target collectives >/dev/null
done
for n in $rank_counts; do
  echo "=== MPICH, $n ranks"
  mpiexec.mpich -n "$n" build/bench/benchmarks/collectives --rounds "$rounds"
  echo "=== Open MPI, $n ranks"
  mpiexec.openmpi --oversubscribe -n "$n" build/bench-openmpi/benchmarks/collectives --rounds "$rounds"
done
