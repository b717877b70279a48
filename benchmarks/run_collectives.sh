#!/usr/bin/env bash
# Collectives benchmark (benchmarks/collectives.cpp) on both MPIs, at 2 ranks by default; give
# "2 4" as the second argument for 4 ranks as well (oversubscribed on a 2-core machine; MPICH's
# polling ranks then take more than ten minutes at these iteration counts). Builds the bench
# presets (Release). Writes the tables to stdout and build/bench*/collectives-N.md, and the plot
# of the first rank count to docs/collectives.svg (gnuplot, from Debian).
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
gnuplot <<PLOT
set terminal svg size 1100,480 dynamic font "sans,12"
set termoption noenhanced
set output "docs/collectives.svg"
set multiplot layout 1,2 title "Collectives, $n ranks on one node: baton's time over raw MPI doing the same job, median of $rounds rounds"
set logscale x 2
set format x "%.0b%B"
set xtics 64
set xlabel "std::vector<double> payload per rank (bytes)"
set ylabel "baton / raw MPI, same job"
set yrange [0:4]
set grid
set key outside below
do for [mpi in "bench bench-openmpi"] {
  set title (mpi eq "bench" ? "MPICH 4.0.2" : "Open MPI 4.1.4")
  plot 1 with lines dashtype 2 lc "black" title "raw MPI, same job", \
       "$plotdata/".mpi."-broadcast.dat" with linespoints title "broadcast", \
       "$plotdata/".mpi."-all_reduce.dat" with linespoints title "all_reduce (plus)", \
       "$plotdata/".mpi."-gather.dat" with linespoints title "gather", \
       "$plotdata/".mpi."-all_gather.dat" with linespoints title "all_gather"
}
unset multiplot
PLOT
echo "plot: docs/collectives.svg"
