#!/usr/bin/env bash
# Installs everything baton needs on Debian 12, as root. Idempotent: a second run
# checks and returns in seconds.
#
#   MPICH   (default): mpich, libmpich-dev, and Boost.MPI built from Debian's own
#                      boost1.74 source package (Debian ships Boost.MPI for Open MPI only)
#   Open MPI:          libopenmpi-dev, libboost-mpi-dev
#
# Environment:
#   BATON_EXTRA_PKGS   more Debian packages to install (e.g. clang for fuzzing)
#   BATON_MPICH_OFI=1  also build MPICH with the OFI network module (the TCP test leg; see
#                      build_mpich_ofi)
set -euo pipefail

prefix=/opt/baton-deps   # the CMake presets point here
mpich_prefix="$prefix/boost-mpi-mpich"
boost_version=1.74.0

log() { printf '[install-deps] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

packages=(
  build-essential cmake ninja-build pkg-config ca-certificates xz-utils
  mpich libmpich-dev
  openmpi-bin libopenmpi-dev libboost-mpi-dev
  libboost1.74-dev libboost-serialization1.74-dev
  doctest-dev
  zlib1g-dev libzstd-dev   # optional for users: reading .gz and .zst files
  python3 python3-numpy    # the pickle codec's tests: the corpus CPython and NumPy write
  python3-mpi4py           # the Python-peer tests on Open MPI (mpi4py 3.1, built on Open MPI)
)
# shellcheck disable=SC2206
packages+=(${BATON_EXTRA_PKGS:-})
# libfabric-dev links its static dependencies (Libs.private) into MPICH: their -dev packages too.
[ "${BATON_MPICH_OFI:-0}" = 1 ] && packages+=(libfabric-dev libpsm2-dev librdmacm-dev libpsm-infinipath1-dev libhwloc-dev)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "Debian packages: all present"
fi

# The upstream tarball of a Debian source package, downloaded once into $prefix/src through a
# private apt configuration with deb-src entries, so the system's apt set-up is left alone.
source_tarball() {
  local package="$1" cache="$prefix/src" tarball work
  as_root mkdir -p "$cache"
  tarball="$(ls "$cache/${package}"_*.orig.tar.* 2>/dev/null | head -n1 || true)"
  if [ -z "$tarball" ]; then
    work="$(mktemp -d)"
    mkdir -p "$work/apt/sources.list.d" "$work/apt/lists/partial"
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -e "$f" ] || continue
      sed -e 's/^Types:.*/Types: deb deb-src/' "$f" > "$work/apt/sources.list.d/$(basename "$f")"
    done
    if [ -f /etc/apt/sources.list ]; then
      grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > "$work/apt/sources.list.d/src.list" || true
    fi
    local apt_opts=(-o APT::Sandbox::User=root -o "Dir::Etc::SourceParts=$work/apt/sources.list.d"
                    -o "Dir::Etc::SourceList=/dev/null" -o "Dir::State::Lists=$work/apt/lists")
    apt-get "${apt_opts[@]}" update -qq
    (cd "$work" && apt-get "${apt_opts[@]}" source --download-only "$package" >/dev/null)
    as_root cp "$work/${package}"_*.orig.tar.* "$cache/"
    rm -rf "$work"
    tarball="$(ls "$cache/${package}"_*.orig.tar.* | head -n1)"
  fi
  echo "$tarball"
}

# MPICH 4.0.2 from Debian's source with the OFI network module (libfabric) instead of UCX,
# for the TCP test leg: Debian's MPICH has only ch4:ucx, whose TCP transport hangs in
# MPI_Finalize here (docs/reliability.md). Only what the leg runs is built: no shared-memory
# module (every message, even between ranks of one machine, goes through libfabric), no
# Fortran, no MPI-IO, Debian's hwloc instead of the bundled copy, MPICH's own dataloop
# datatype engine instead of yaksa (whose generated pack kernels were most of the build), shared
# libraries only, no debug information. Error checking stays at MPICH's default (all).
# docs/README.md has the build's time.
build_mpich_ofi() {
  local dest="$prefix/mpich-ofi"
  if [ -x "$dest/bin/mpiexec" ] && [ -e "$dest/lib/libmpi.so.12" ]; then
    log "MPICH with OFI: present in $dest"
  else
    make_mpich_ofi "$dest"
  fi
  # MPICH's ABI is the same across its builds (as MVAPICH's, Intel MPI's and Cray MPICH's): a
  # program built against Debian's MPICH runs on this one when the loader finds it under
  # Debian's library name, with LD_LIBRARY_PATH=$dest/abi.
  as_root mkdir -p "$dest/abi"
  as_root ln -sf ../lib/libmpi.so.12 "$dest/abi/libmpich.so.12"
}

make_mpich_ofi() {
  local dest="$1"
  log "building MPICH with the OFI network module into $dest (a few minutes)"
  local tarball work
  tarball="$(source_tarball mpich)"
  work="$(mktemp -d)"
  tar -xf "$tarball" -C "$work"
  (cd "$work"/mpich-* &&
    ./configure --prefix="$dest" --with-device=ch4:ofi --with-libfabric=/usr --without-ch4-shmmods \
      --without-ucx --with-datatype-engine=dataloop --with-hwloc=/usr --with-pm=hydra \
      --disable-static --disable-fortran --disable-cxx --disable-romio --disable-doc \
      --enable-fast=O1 --enable-g=none --disable-dependency-tracking >"$work/configure.log" 2>&1 &&
    make -j"$(nproc)" >"$work/make.log" 2>&1 && as_root make install >"$work/install.log" 2>&1) || {
    tail -40 "$work"/*.log >&2
    log "building MPICH with OFI failed"
    return 1
  }
  rm -rf "$work"
  log "MPICH with OFI: built"
}

# Boost.MPI compiled with the given MPI compiler wrapper into the given prefix, with a CMake
# package shaped like Debian's own boost_mpi config.
build_boost_mpi() {
  local mpicxx="$1" dest="$2" label="$3"
  local lib="$dest/lib/libboost_mpi.so"
  local config="$dest/lib/cmake/boost_mpi-$boost_version/boost_mpi-config.cmake"
  if [ -f "$lib" ] && [ -f "$config" ]; then
    log "Boost.MPI for $label: present in $dest"
    return 0
  fi

  log "building Boost.MPI $boost_version for $label into $dest"
  local work
  work="$(mktemp -d)"

  local tarball
  tarball="$(source_tarball boost1.74)"

  mkdir -p "$work/src"
  tar -xf "$tarball" -C "$work/src" --wildcards '*/libs/mpi/src/*.cpp'
  local srcdir
  srcdir="$(dirname "$(ls "$work"/src/*/libs/mpi/src/*.cpp | head -n1)")"

  local objs=() cpp obj
  for cpp in "$srcdir"/*.cpp; do
    obj="$work/$(basename "${cpp%.cpp}").o"
    "$mpicxx" -std=c++17 -O2 -fPIC -DNDEBUG -DBOOST_MPI_DYN_LINK -DBOOST_MPI_SOURCE \
      -DBOOST_ALL_NO_LIB -c "$cpp" -o "$obj" &
    objs+=("$obj")
    # two at a time: the machines have two cores
    if [ "$(jobs -rp | wc -l)" -ge 2 ]; then wait -n; fi
  done
  wait

  as_root mkdir -p "$dest/lib" "$(dirname "$config")"
  "$mpicxx" -shared -Wl,-soname,libboost_mpi.so."$boost_version" -o "$work/libboost_mpi.so.$boost_version" \
    "${objs[@]}" -lboost_serialization
  as_root install -m 0644 "$work/libboost_mpi.so.$boost_version" "$dest/lib/"
  as_root ln -sf "libboost_mpi.so.$boost_version" "$lib"

  # A CMake package shaped like Debian's own boost_mpi config, so that
  # find_package(Boost CONFIG COMPONENTS mpi) finds this build when boost_mpi_DIR points here.
  as_root tee "$config" >/dev/null <<CMAKE
# Boost.MPI $boost_version built against $label by baton's scripts/install-deps.sh
if(TARGET Boost::mpi)
  return()
endif()
include(CMakeFindDependencyMacro)
find_dependency(MPI COMPONENTS CXX)
find_dependency(boost_serialization $boost_version EXACT CONFIG
  HINTS /usr/lib/x86_64-linux-gnu/cmake /usr/lib/cmake)
get_filename_component(_baton_boost_mpi_prefix "\${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
add_library(Boost::mpi SHARED IMPORTED)
set_target_properties(Boost::mpi PROPERTIES
  IMPORTED_LOCATION "\${_baton_boost_mpi_prefix}/lib/libboost_mpi.so.$boost_version"
  IMPORTED_SONAME "libboost_mpi.so.$boost_version"
  INTERFACE_COMPILE_DEFINITIONS "BOOST_MPI_DYN_LINK;BOOST_MPI_NO_LIB"
  INTERFACE_LINK_LIBRARIES "Boost::serialization;MPI::MPI_CXX")
unset(_baton_boost_mpi_prefix)
CMAKE
  as_root tee "$dest/lib/cmake/boost_mpi-$boost_version/boost_mpi-config-version.cmake" >/dev/null <<CMAKE
set(PACKAGE_VERSION "$boost_version")
if(PACKAGE_FIND_VERSION VERSION_EQUAL PACKAGE_VERSION OR NOT PACKAGE_FIND_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  set(PACKAGE_VERSION_EXACT TRUE)
elseif(PACKAGE_FIND_VERSION VERSION_LESS PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
endif()
CMAKE
  log "Boost.MPI for $label: built ($(ls "$srcdir"/*.cpp | wc -l) sources)"
  rm -rf "$work"
}

build_boost_mpi mpicxx.mpich "$mpich_prefix" "MPICH"
if [ "${BATON_MPICH_OFI:-0}" = 1 ]; then
  build_mpich_ofi
fi
