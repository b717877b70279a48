#!/usr/bin/env bash
# Draws ratios to a baseline (the line at 1) against payload size, one panel per MPI, as SVG
# with gnuplot (from Debian). Series are files of "bytes ratio" lines: DATADIR/bench-NAME.dat
# for MPICH and DATADIR/bench-openmpi-NAME.dat for Open MPI.
#   benchmarks/support/plot_ratios.sh OUT.svg TITLE XLABEL YLABEL YMAX BASELINE DATADIR NAME=LABEL...
set -euo pipefail
out=$1 title=$2 xlabel=$3 ylabel=$4 ymax=$5 baseline=$6 data=$7
shift 7
series=""
for spec in "$@"; do
  series+=", \"$data/\".mpi.\"-${spec%%=*}.dat\" with linespoints title \"${spec#*=}\""
done
gnuplot <<PLOT
set terminal svg size 1100,480 dynamic font "sans,12"
set termoption noenhanced
set output "$out"
set multiplot layout 1,2 title "$title"
set logscale x 2
set format x "%.0b%B"
set xtics 64
set xlabel "$xlabel"
set ylabel "$ylabel"
set yrange [0:$ymax]
set grid
set key outside below
do for [mpi in "bench bench-openmpi"] {
  set title (mpi eq "bench" ? "MPICH 4.0.2" : "Open MPI 4.1.4")
  plot 1 with lines dashtype 2 lc "black" title "$baseline"$series
}
unset multiplot
PLOT
echo "plot: $out"
