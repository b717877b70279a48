#!/usr/bin/env bash
# Ping-pong benchmark on MPICH and Open MPI (2 ranks, one node): baton against raw MPI and
# Boost.MPI, interleaved in one run per MPI. Writes the tables to stdout, the figures to
# build/bench*/pingpong.csv, and the plot to docs/pingpong.svg (gnuplot, from Debian).
#   benchmarks/p2p/run_pingpong.sh [rounds]     (default 7)
set -euo pipefail
cd "$(dirname "$0")/../.."
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
echo
benchmarks/support/plot_ratios.sh docs/pingpong.svg \
  "Ping-pong, 2 ranks on one node: one-way latency divided by raw MPI_Send/MPI_Recv's (reused buffer), median of $rounds rounds" \
  "std::vector<double> payload (bytes)" "ratio to raw MPI" 3.5 "raw MPI" "$plotdata" \
  "baton_into=baton comm, recv_into" "baton_new=baton comm, recv (new vector)" \
  "raw_comm=baton raw_comm, recv_into" "boost=Boost.MPI (new vector)"
