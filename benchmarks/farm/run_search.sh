#!/usr/bin/env bash
# The random search end to end, as a user runs it, against scikit-learn in one Python process:
# the same 64,900-row file, the same candidates (baton's report), the same 5 contiguous folds
# z-scored on each training fold; LogisticRegression(C, tol=1e-10, max_iter=100000). Each
# round runs, interleaved: baton on 2 ranks with MPICH and with Open MPI (every rank reading
# the file), MPICH with --ship (rank 0 reads and broadcasts it), and the Python script
# (importing pandas and scikit-learn included). Prints every time and the medians, and checks
# that scikit-learn's accuracies equal baton's to 4 decimals.
# Needs Debian's python3-pandas and python3-sklearn; builds the bench presets (Release).
#   benchmarks/farm/run_search.sh [rounds]     (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
for preset in bench bench-openmpi; do
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" --target random_search make_student_data >/dev/null
done
data=build/bench/data/students-64900.csv
mkdir -p build/bench/data
[ -f "$data" ] || build/bench/examples/make_student_data --rows 64900 --seed 3 --out "$data" >/dev/null
report=build/bench/data/search-report.csv
search=(--data "$data" --candidates 8 --seed 1 --folds 5)

elapsed() {  # seconds of wall time of a command, its output discarded
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}
declare -A times
for ((round = 1; round <= rounds; round++)); do
  times[mpich]+=" $(elapsed mpiexec.mpich -n 2 build/bench/examples/random_search "${search[@]}" --report "$report")"
  times[openmpi]+=" $(elapsed mpiexec.openmpi -n 2 build/bench-openmpi/examples/random_search "${search[@]}")"
  times[ship]+=" $(elapsed mpiexec.mpich -n 2 build/bench/examples/random_search "${search[@]}" --ship)"
  times[one_rank]+=" $(elapsed mpiexec.mpich -n 1 build/bench/examples/random_search "${search[@]}")"
  times[sklearn]+=" $(elapsed /usr/bin/python3 examples/cross_check_sklearn.py "$data" "$report" --rows 8)"
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "| run (64,900 rows, 8 candidates x 5 folds) | seconds, each round | median |"
echo "|---|---|---|"
for k in mpich openmpi ship one_rank sklearn; do
  case $k in
    mpich) label="baton, MPICH, 2 ranks, each reads the file" ;;
    openmpi) label="baton, Open MPI, 2 ranks, each reads the file" ;;
    ship) label="baton, MPICH, 2 ranks, --ship (rank 0 reads and broadcasts)" ;;
    one_rank) label="baton, MPICH, 1 rank" ;;
    sklearn) label="scikit-learn LogisticRegression, one Python process" ;;
  esac
  echo "| $label |${times[$k]} | $(echo "${times[$k]}" | median) |"
done
sk=$(echo "${times[sklearn]}" | median)
for k in mpich openmpi; do
  awk -v s="$sk" -v b="$(echo "${times[$k]}" | median)" -v k="$k" \
    'BEGIN { printf "scikit-learn / baton (%s, 2 ranks): %.2fx\n", k, s / b }'
done
# Same accuracy to 4 decimals, candidate by candidate.
/usr/bin/python3 examples/cross_check_sklearn.py "$data" "$report" --rows 8 |
  awk '/^C=/ { split($2, a, "="); split($3, b, "="); if (sprintf("%.4f", a[2]) != sprintf("%.4f", b[2])) bad = 1; n++ }
       END { if (bad || n != 8) { print "accuracies differ at 4 decimals"; exit 1 } print "accuracies equal to 4 decimals: " n " candidates" }'
