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
)
# shellcheck disable=SC2206
packages+=(${BATON_EXTRA_PKGS:-})

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

lib="$mpich_prefix/lib/libboost_mpi.so"
config="$mpich_prefix/lib/cmake/boost_mpi-$boost_version/boost_mpi-config.cmake"
if [ -f "$lib" ] && [ -f "$config" ]; then
  log "Boost.MPI for MPICH: present in $mpich_prefix"
  exit 0
fi

log "building Boost.MPI $boost_version for MPICH into $mpich_prefix"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A private apt configuration with a deb-src entry, so the system's apt set-up is left alone.
tarball_cache="$prefix/src"
as_root mkdir -p "$tarball_cache"
tarball="$(ls "$tarball_cache"/boost1.74_*.orig.tar.* 2>/dev/null | head -n1 || true)"
if [ -z "$tarball" ]; then
  mkdir -p "$work/apt/sources.list.d" "$work/apt/lists/partial"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] || continue
    sed -e 's/^Types:.*/Types: deb deb-src/' "$f" > "$work/apt/sources.list.d/$(basename "$f")"
  done
  if [ -f /etc/apt/sources.list ]; then
    grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > "$work/apt/sources.list.d/src.list" || true
  fi
  apt_opts=(-o APT::Sandbox::User=root -o "Dir::Etc::SourceParts=$work/apt/sources.list.d" -o "Dir::Etc::SourceList=/dev/null"
            -o "Dir::State::Lists=$work/apt/lists")
  apt-get "${apt_opts[@]}" update -qq
  (cd "$work" && apt-get "${apt_opts[@]}" source --download-only boost1.74 >/dev/null)
  as_root cp "$work"/boost1.74_*.orig.tar.* "$tarball_cache/"
  tarball="$(ls "$tarball_cache"/boost1.74_*.orig.tar.* | head -n1)"
fi

mkdir -p "$work/src"
tar -xf "$tarball" -C "$work/src" --wildcards '*/libs/mpi/src/*.cpp'
srcdir="$(dirname "$(ls "$work"/src/*/libs/mpi/src/*.cpp | head -n1)")"

objs=()
for cpp in "$srcdir"/*.cpp; do
  obj="$work/$(basename "${cpp%.cpp}").o"
  mpicxx.mpich -std=c++17 -O2 -fPIC -DNDEBUG -DBOOST_MPI_DYN_LINK -DBOOST_MPI_SOURCE \
    -DBOOST_ALL_NO_LIB -c "$cpp" -o "$obj" &
  objs+=("$obj")
  # two at a time: the machines have two cores
  if [ "$(jobs -rp | wc -l)" -ge 2 ]; then wait -n; fi
done
wait

as_root mkdir -p "$mpich_prefix/lib" "$(dirname "$config")"
mpicxx.mpich -shared -Wl,-soname,libboost_mpi.so."$boost_version" -o "$work/libboost_mpi.so.$boost_version" \
  "${objs[@]}" -lboost_serialization
as_root install -m 0644 "$work/libboost_mpi.so.$boost_version" "$mpich_prefix/lib/"
as_root ln -sf "libboost_mpi.so.$boost_version" "$lib"

# A CMake package shaped like Debian's own boost_mpi config, so that
# find_package(Boost CONFIG COMPONENTS mpi) finds this build when boost_mpi_DIR points here.
as_root tee "$config" >/dev/null <<CMAKE
# Boost.MPI $boost_version built against MPICH by baton's scripts/install-deps.sh
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
as_root tee "$mpich_prefix/lib/cmake/boost_mpi-$boost_version/boost_mpi-config-version.cmake" >/dev/null <<CMAKE
set(PACKAGE_VERSION "$boost_version")
if(PACKAGE_FIND_VERSION VERSION_EQUAL PACKAGE_VERSION OR NOT PACKAGE_FIND_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  set(PACKAGE_VERSION_EXACT TRUE)
elseif(PACKAGE_FIND_VERSION VERSION_LESS PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
endif()
CMAKE
log "Boost.MPI for MPICH: built ($(ls "$srcdir"/*.cpp | wc -l) sources)"
