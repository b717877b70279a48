#!/usr/bin/env bash
# Ping-pong benchmark on MPICH and Open MPI (2 ranks, one node): baton against raw MPI and
# Boost.MPI, interleaved in each run. With several runs, the MPIs take turns, and the summary
# gives, for every size, the range over the runs of each ratio of the comparison table (each
# ratio taken within one run). Writes every run's tables to build/bench/pingpong-runs/, the
# last run's figures to build/bench*/pingpong.csv, the summary to stdout, and the plot of the
# last run to docs/pingpong.svg (gnuplot, from Debian).
#   benchmarks/p2p/run_pingpong.sh [rounds [runs]]     (default 7 rounds, 1 run)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-7}"
runs="${2:-1}"
BATON_EXTRA_PKGS="gnuplot-nox" bash scripts/install-deps.sh >/dev/null
for preset in bench bench-openmpi; do
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" --target pingpong >/dev/null
done
out=build/bench/pingpong-runs
rm -rf "$out" && mkdir -p "$out"
for run in $(seq 1 "$runs"); do
  mpiexec.mpich -n 2 build/bench/benchmarks/pingpong --rounds "$rounds" --csv build/bench/pingpong.csv \
    > "$out/mpich-$run.txt"
  OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
    mpiexec.openmpi -n 2 build/bench-openmpi/benchmarks/pingpong --rounds "$rounds" \
    --csv build/bench-openmpi/pingpong.csv > "$out/openmpi-$run.txt"
done
if [ "$runs" = 1 ]; then
  echo "## MPICH" && cat "$out/mpich-1.txt" && echo && echo "## Open MPI" && cat "$out/openmpi-1.txt"
else
  # The comparison table's rows ("| payload | noise | ratio | ... |"), one range per cell.
  for mpi in mpich openmpi; do
    echo "## $mpi: range over $runs runs of $rounds rounds (noise, baton / Boost.MPI, recv_into / raw,"
    echo "## baton / floor, floor / Boost.MPI, recv_into / floor)"
    echo "| payload | noise | baton / Boost.MPI | recv_into / raw | baton / floor | floor / Boost.MPI | recv_into / floor |"
    echo "|---|---|---|---|---|---|---|"
    awk -F'|' '
      /^\| [^|]+ \| [0-9.]+% \|/ {
        key = $2; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
        for (c = 3; c <= 8; c++) {
          v = $c; gsub(/[ %]/, "", v); if (v == "") continue
          k = key SUBSEP c
          if (!(k in lo) || v + 0 < lo[k]) lo[k] = v + 0
          if (!(k in hi) || v + 0 > hi[k]) hi[k] = v + 0
        }
      }
      END {
        for (i = 1; i <= n; i++) {
          line = "|" order[i] "|"
          for (c = 3; c <= 8; c++) {
            k = order[i] SUBSEP c
            if (!(k in lo)) { line = line " |"; continue }
            unit = (c == 3) ? "%" : ""
            fmt = (c == 3) ? "%.1f" : "%.2f"
            a = sprintf(fmt, lo[k]); b = sprintf(fmt, hi[k])
            line = line " " (a == b ? a : a "-" b) unit " |"
          }
          print line
        }
      }' "$out"/$mpi-*.txt
    echo
  done
fi

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
