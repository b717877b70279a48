#!/usr/bin/env bash
# Sets everything up, then builds and runs the whole test suite:
#   mpich     the suite on MPICH (warnings are errors)
#   openmpi   the suite on Open MPI
#   sanitize  the suite on MPICH under AddressSanitizer + UndefinedBehaviorSanitizer
#   tcp       the Open MPI suite again with shared memory off, every message over TCP as between nodes
#   fuzz      the libFuzzer targets, 60 s each
# Exits non-zero if any build, test or fuzz run fails.
# Usage: scripts/test-all.sh [leg ...]   (default: all of the above)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
legs=("$@")
[ "${#legs[@]}" -gt 0 ] || legs=(fuzz mpich openmpi tcp sanitize)
status=0
build() {
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1"
}
for leg in "${legs[@]}"; do
  case "$leg" in
    tcp)
      build openmpi
      # MPICH 4.0.2 over UCX's TCP transport (UCX_TLS=tcp,self) intermittently hangs in
      # MPI_Finalize here, after the program has finished: one rank waits in PMI, the other
      # progresses UCX TCP forever (docs/reliability.md). Until that is solved, the TCP leg
      # runs on Open MPI, whose ob1/tcp path is the same code MPI uses between nodes.
      echo "===== Open MPI over TCP (pml ob1, btl self,tcp) ====="
      OMPI_MCA_pml=ob1 OMPI_MCA_btl=self,tcp ctest --preset openmpi -LE large_memory || status=1
      ;;
    fuzz)
      bash scripts/fuzz.sh 60 || status=1
      ;;
    *)
      echo "===== $leg: configure and build ====="
      build "$leg"
      echo "===== $leg: test ====="
      ctest --preset "$leg" || status=1
      ;;
  esac
done
exit "$status"
