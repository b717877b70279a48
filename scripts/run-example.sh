#!/usr/bin/env bash
# Sets everything up (Debian packages, Boost.MPI for MPICH), builds baton with MPICH and
# runs the main example with 2 ranks. Usage: scripts/run-example.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset mpich >/dev/null
cmake --build --preset mpich
exe=build/mpich/examples/parameter_handoff
data=build/mpich/studentpor_bigger.csv
if [ -x "$exe" ]; then
  [ -f "$data" ] || build/mpich/examples/make_student_data --rows 64900 --seed 1 --out "$data"
  exec mpiexec.mpich -n 2 "$exe" "$data"
fi
exec mpiexec.mpich -n 2 build/mpich/examples/hello
