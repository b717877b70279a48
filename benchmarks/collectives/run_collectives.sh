#!/usr/bin/env bash
# Collectives benchmark (benchmarks/collectives/collectives.cpp) on both MPIs, at 2 ranks by default; give
# "2 4" as the second argument for 4 ranks as well (oversubscribed on a 2-core machine; MPICH's
# polling ranks then take more than ten minutes at these iteration counts). Builds the bench
# presets (Release). Writes the tables to stdout and build/bench*/collectives-N.md, and the plot
# of the first rank count to docs/collectives.svg (gnuplot, from Debian).
#   benchmarks/collectives/run_collectives.sh [rounds] [rank counts]     (default 5 "2")
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
rank_counts="${2:-2}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
for preset in bench bench-openmpi; do
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" --target collectives >/dev/null
done
for n in $rank_counts; do
  echo "=== MPICH, $n ranks"
  mpiexec.mpich -n "$n" build/bench/benchmarks/collectives --rounds "$rounds" | tee "build/bench/collectives-$n.md"
  echo "=== Open MPI, $n ranks"
  mpiexec.openmpi --oversubscribe -n "$n" build/bench-openmpi/benchmarks/collectives --rounds "$rounds" |
    tee "build/bench-openmpi/collectives-$n.md"
done

# The plot (docs/collectives.svg, first rank count): baton's time over the same-job raw baseline
# for each operation on vector<double>, by payload size, one panel per MPI.
n=${rank_counts%% *}
BATON_EXTRA_PKGS="gnuplot-nox" bash scripts/install-deps.sh >/dev/null
plotdata=build/bench/collectives-plot
mkdir -p "$plotdata"
for mpi in bench bench-openmpi; do
  for op in broadcast "all_reduce (plus)" gather all_gather; do
    # rows: | op | vector<double>, SIZE UNIT | ... | baton / same job | ...
    awk -F'|' -v op="$op" '
      { o = $2; gsub(/^ +| +$/, "", o) }
      o == op && $3 ~ /vector<double>/ {
        split($3, p, ", "); split(p[2], q, " "); bytes = q[1] * (q[2] == "KiB" ? 1024 : q[2] == "MiB" ? 1048576 : 1)
        r = $8; gsub(/[ x]/, "", r); print bytes, r
      }' "build/$mpi/collectives-$n.md" > "$plotdata/$mpi-${op%% *}.dat"
  done
done
benchmarks/support/plot_ratios.sh docs/collectives.svg \
  "Collectives, $n ranks on one node: baton's time over raw MPI doing the same job, median of $rounds rounds" \
  "std::vector<double> payload per rank (bytes)" "baton / raw MPI, same job" 4 "raw MPI, same job" "$plotdata" \
  "broadcast=broadcast" "all_reduce=all_reduce (plus)" "gather=gather" "all_gather=all_gather"
