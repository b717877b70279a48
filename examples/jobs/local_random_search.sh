#!/usr/bin/env bash
# The random search on this machine: generates the data if needed and runs on N ranks with
# MPICH (default 2). Run from the repository after scripts/run-example.sh has built it.
#   examples/jobs/local_random_search.sh [ranks] [candidates]
set -euo pipefail
cd "$(dirname "$0")/../.."
ranks="${1:-2}"
candidates="${2:-20}"
bin=build/mpich/examples
data=build/mpich/studentpor_bigger.csv
[ -f "$data" ] || "$bin/make_student_data" --rows 64900 --seed 1 --out "$data"
exec mpiexec.mpich -n "$ranks" "$bin/random_search" --data "$data" --candidates "$candidates" --seed 1 \
  --report build/mpich/random_search_report.csv
