#!/usr/bin/env bash
# Sets everything up (Debian packages, Boost.MPI for MPICH), builds the main example with MPICH
# and runs it on 2 ranks: the tutorial's hand-off of 100 parameters, rank 1 reading its own
# copy of the student data. Builds only what it runs (no tests, no benchmarks) in
# build/example, and says how long each stage took. Usage: scripts/run-example.sh
set -euo pipefail
cd "$(dirname "$0")/.."

stage_start=$SECONDS
stage() {
  printf '[run-example] %s: %d s\n' "$1" $((SECONDS - stage_start)) >&2
  stage_start=$SECONDS
}

bash scripts/install-deps.sh
stage "dependencies"
cmake --preset mpich -B build/example -DBUILD_TESTING=OFF >/dev/null
cmake --build build/example --target parameter_handoff make_student_data
stage "build (2 programs)"
data=build/example/studentpor_bigger.csv
[ -f "$data" ] || build/example/examples/make_student_data --rows 64900 --seed 1 --out "$data"
stage "data (64,900 rows)"
mpiexec.mpich -n 2 build/example/examples/parameter_handoff "$data"
stage "run (2 ranks)"
