#!/usr/bin/env bash
# The .deb round trip (CI's deb leg): builds libbaton-dev for Open MPI as docs/clusters.md says,
# installs it with dpkg -i, builds and runs a CMake consumer and a pkg-config consumer against it
# with no CMAKE_PREFIX_PATH or PKG_CONFIG_PATH, removes it with dpkg -r and checks that none of
# its files is left. Needs root (dpkg); the package must not be installed already.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if dpkg-query -W -f='${Status}' libbaton-dev 2>/dev/null | grep -q "install ok installed"; then
  echo "check-deb: libbaton-dev is installed already; dpkg -r libbaton-dev first" >&2
  exit 1
fi
build=build/deb
rm -rf "$build"
cmake -S . -B "$build" -G Ninja -DBUILD_TESTING=OFF -DBATON_BUILD_EXAMPLES=OFF -DMPI_CXX_COMPILER=mpicxx.openmpi >/dev/null
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/libbaton-dev_*_all.deb)
echo "===== $deb ====="
dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Architecture\|Depends\):/  \1:/p'
work=$(mktemp -d)
trap 'rm -rf "$work"; dpkg -r libbaton-dev >/dev/null 2>&1 || true' EXIT
dpkg -i "$deb" >/dev/null
mapfile -t files < <(dpkg -L libbaton-dev)
status=0
mpirun=(mpiexec.openmpi -n 2 --oversubscribe)
[ "$(id -u)" = 0 ] && mpirun+=(--allow-run-as-root)

echo "===== a CMake consumer (find_package(baton), nothing else) ====="
(env -u CMAKE_PREFIX_PATH cmake -S tests/consumer -B "$work/cmake" -G Ninja >/dev/null &&
  cmake --build "$work/cmake" >/dev/null && "${mpirun[@]}" "$work/cmake/consumer") || status=1

echo "===== a pkg-config consumer ====="
(unset PKG_CONFIG_PATH
  # shellcheck disable=SC2046
  mpicxx.openmpi tests/consumer/consumer.cpp $(pkg-config --cflags --libs baton) -o "$work/consumer" &&
  "${mpirun[@]}" "$work/consumer") || status=1

echo "===== dpkg -r ====="
dpkg -r libbaton-dev >/dev/null
for f in "${files[@]}"; do
  # Directories the package shares with others (/usr, /usr/include) stay; its own go with it.
  if [ -f "$f" ] || [ -L "$f" ] || { [ -d "$f" ] && [[ "$f" == *baton* ]]; }; then
    echo "check-deb: $f is left after dpkg -r" >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "check-deb: built, installed, consumed by CMake and pkg-config, removed without a trace"
exit "$status"
