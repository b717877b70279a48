#!/usr/bin/env bash
# Sets everything up, then builds and runs the whole test suite on MPICH, on Open MPI, and on
# MPICH under AddressSanitizer + UndefinedBehaviorSanitizer
# (warnings are errors). Exits non-zero if any build or test fails.
# Usage: scripts/test-all.sh [preset ...]   (default: mpich openmpi sanitize)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
presets=("$@")
[ "${#presets[@]}" -gt 0 ] || presets=(mpich openmpi sanitize)
status=0
for preset in "${presets[@]}"; do
  echo "===== $preset: configure and build ====="
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "===== $preset: test ====="
  ctest --preset "$preset" || status=1
done
exit "$status"
