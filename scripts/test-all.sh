#!/usr/bin/env bash
# Sets everything up, then builds and runs the whole test suite:
#   mpich     the suite on MPICH (warnings are errors)
#   openmpi   the suite on Open MPI
#   sanitize  the suite on MPICH under AddressSanitizer + UndefinedBehaviorSanitizer
#   tcp       the Open MPI suite again with shared memory off, every message over TCP as between nodes
#   mpich-tcp the mpich leg's programs again on MPICH built with the OFI network module and no
#             shared memory (built from source once, a few minutes), every message over TCP
#   fuzz      the libFuzzer targets, 60 s each
#   format    clang-format-14 --dry-run --Werror over include/, examples/, tests/, benchmarks/
#   docs      the API reference with Doxygen; an undocumented public name fails it
#   deb       the .deb round trip: libbaton-dev built with cpack, installed, used by a CMake and a
#             pkg-config consumer, removed without a trace (scripts/check-deb.sh)
# Exits non-zero if any build, test or fuzz run fails. At the end it prints each leg's time and
# result (docs/README.md has what they take from nothing).
# Usage: scripts/test-all.sh [leg ...]   (default: all of the above)
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
# python3-pandas: the test that pandas reads write_csv's output back equal (skipped without it).
BATON_EXTRA_PKGS=python3-pandas bash scripts/install-deps.sh
timings=("$(printf '%-10s %5d s' install $((SECONDS - started)))")
legs=("$@")
[ "${#legs[@]}" -gt 0 ] || legs=(format docs fuzz mpich openmpi deb tcp sanitize mpich-tcp)
status=0
# The tests a transport cannot change, left out of the legs that repeat the suite over another
# transport: the builds (compile_fail, install_and_consume: the mpich and openmpi legs run them)
# and single processes without MPI (process); and large_memory, whose 10 GiB would take minutes
# over TCP (the mpich and openmpi legs run it).
no_transport='^(build|process|large_memory)$'
build() {
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1"
}
for leg in "${legs[@]}"; do
  leg_started=$SECONDS
  failed=0
  case "$leg" in
    tcp)
      build openmpi
      # MPICH as Debian ships it (UCX) hangs in MPI_Finalize over TCP here; see mpich-tcp.
      echo "===== Open MPI over TCP (pml ob1, btl self,tcp) ====="
      OMPI_MCA_pml=ob1 OMPI_MCA_btl=self,tcp ctest --preset openmpi -LE "$no_transport" || failed=1
      ;;
    mpich-tcp)
      # Debian's MPICH has only the UCX network module, whose TCP transport hangs in
      # MPI_Finalize here (docs/reliability.md). This leg builds MPICH from Debian's source with
      # the OFI module and no shared-memory module (a few minutes once, then cached in
      # /opt/baton-deps), and runs the MPICH leg's own programs on it, as a cluster swaps in
      # MVAPICH or Intel MPI under the MPICH ABI: every message goes through libfabric's tcp
      # provider.
      BATON_MPICH_OFI=1 bash scripts/install-deps.sh
      build mpich
      ofi=/opt/baton-deps/mpich-ofi/abi
      if ! LD_LIBRARY_PATH=$ofi ldd build/mpich/tests/p2p/unit-payloads | grep -q "libmpich.so.12 => $ofi/"; then
        echo "mpich-tcp: the programs do not load MPICH (OFI) from $ofi" >&2
        failed=1
      else
        echo "===== MPICH (OFI) over TCP (the mpich build on MPICH ch4:ofi, FI_PROVIDER=tcp, MPIR_CVAR_NOLOCAL=1) ====="
        # A test that times out here runs once more (and the log says so): MPICH 4.0.2's OFI
        # build hung once in threads.np1 (MPI_THREAD_MULTIPLE) in a full run, and not in over 500
        # runs of that test alone, loaded or not (docs/reliability.md). A hang that recurs fails.
        LD_LIBRARY_PATH=$ofi FI_PROVIDER=tcp MPIR_CVAR_NOLOCAL=1 ctest --preset mpich -LE "$no_transport" \
          --repeat after-timeout:2 || failed=1
      fi
      ;;
    fuzz)
      bash scripts/fuzz.sh 60 || failed=1
      ;;
    format)
      bash scripts/check-format.sh || failed=1
      ;;
    deb)
      bash scripts/check-deb.sh || failed=1
      ;;
    docs)
      BATON_EXTRA_PKGS=doxygen bash scripts/install-deps.sh
      cmake --preset mpich >/dev/null
      echo "===== docs: Doxygen, warnings as errors ====="
      cmake --build --preset mpich --target docs || failed=1
      ;;
    *)
      echo "===== $leg: configure and build ====="
      build "$leg"
      echo "===== $leg: test ====="
      ctest --preset "$leg" || failed=1
      ;;
  esac
  result=passed
  if [ "$failed" = 1 ]; then
    result=FAILED
    status=1
  fi
  timings+=("$(printf '%-10s %5d s  %s' "$leg" $((SECONDS - leg_started)) "$result")")
done
echo "===== time per leg ====="
printf '%s\n' "${timings[@]}"
printf '%-10s %5d s\n' total $((SECONDS - started))
exit "$status"
