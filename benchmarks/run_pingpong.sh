#!/usr/bin/env bash
# Ping-pong benchmark on MPICH and Open MPI (2 ranks, one node): baton against raw MPI and
# Boost.MPI, interleaved in one run per MPI. Writes the tables to stdout, the figures to
# build/bench*/pingpong.csv, and the plot to docs/pingpong.svg (gnuplot, from Debian).
#   benchmarks/run_pingpong.sh [rounds]     (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-7}"
BATON_EXTRA_PKGS="gnuplot-nox" bash scripts/install-deps.sh >/dev/null
for preset in bench bench-openmpi; do
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" --target pingpong >/dev/null
done
echo "## MPICH"
mpiexec.mpich -n 2 build/bench/benchmarks/pingpong --rounds "$rounds" --csv build/bench/pingpong.csv
echo
echo "## Open MPI"
OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
  mpiexec.openmpi -n 2 build/bench-openmpi/benchmarks/pingpong --rounds "$rounds" --csv build/bench-openmpi/pingpong.csv

# One series per variant: the vector<double> sizes, ratio to raw MPI into a reused buffer.
series() {  # file variant
  awk -F, -v v="\"$2\"" '$2 == v && $1 ~ /^"vector<double> / { print $3, $5 }' "$1"
}
plotdata=build/bench/pingpong-plot
mkdir -p "$plotdata"
for mpi in bench bench-openmpi; do
  series "build/$mpi/pingpong.csv" "baton recv_into" > "$plotdata/$mpi-baton_into.dat"
  series "build/$mpi/pingpong.csv" "baton recv (new vector)" > "$plotdata/$mpi-baton_new.dat"
  series "build/$mpi/pingpong.csv" "baton raw_comm recv_into" > "$plotdata/$mpi-raw_comm.dat"
  series "build/$mpi/pingpong.csv" "Boost.MPI (new vector)" > "$plotdata/$mpi-boost.dat"
done
gnuplot <<PLOT
set terminal svg size 1100,480 dynamic font "sans,12"
set termoption noenhanced
set output "docs/pingpong.svg"
set multiplot layout 1,2 title "Ping-pong, 2 ranks on one node: one-way latency divided by raw MPI_Send/MPI_Recv's (reused buffer), median of $rounds rounds"
set logscale x 2
set format x "%.0b%B"
set xtics 64
set xlabel "std::vector<double> payload (bytes)"
set ylabel "ratio to raw MPI"
set yrange [0:3.5]
set grid
set key outside below
do for [mpi in "bench bench-openmpi"] {
  set title (mpi eq "bench" ? "MPICH 4.0.2" : "Open MPI 4.1.4")
  plot 1 with lines dashtype 2 lc "black" title "raw MPI", \
       "$plotdata/".mpi."-baton_into.dat" with linespoints title "baton comm, recv_into", \
       "$plotdata/".mpi."-baton_new.dat" with linespoints title "baton comm, recv (new vector)", \
       "$plotdata/".mpi."-raw_comm.dat" with linespoints title "baton raw_comm, recv_into", \
       "$plotdata/".mpi."-boost.dat" with linespoints title "Boost.MPI (new vector)"
}
unset multiplot
PLOT
echo
echo "plot: docs/pingpong.svg"
