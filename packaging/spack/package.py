# A Spack recipe for baton. A site or a user puts it in a Spack repository of their own
# (docs/clusters.md, "Spack"):
#   spack repo create ~/baton-repo && mkdir -p ~/baton-repo/packages/baton
#   cp packaging/spack/package.py ~/baton-repo/packages/baton/ && spack repo add ~/baton-repo
#   spack install baton ^mpich          (or ^openmpi, ^mvapich2, ...)
# `git` below is where this repository is published: set BATON_GIT_URL, or edit the line, to
# your copy's URL. tests/packaging checks that the recipe agrees with CMakeLists.txt.
import os

from spack_repo.builtin.build_systems.cmake import CMakePackage

from spack.package import *


class Baton(CMakePackage):
    """Typed MPI messaging for C++17: a header-only wrapper around Boost.MPI with type-checked
    messages, rank-gated blocks that end the job instead of hanging it, a fast CSV loader for
    each rank's local data and a pickle codec for Python peers."""

    homepage = "https://github.com/baton-hpc/baton"
    git = os.environ.get("BATON_GIT_URL", "https://github.com/baton-hpc/baton.git")

    license("MIT")

    # One version per release tag vX.Y.Z, added when the tag is made; main follows the branch.
    version("main", branch="main")

    variant("zlib", default=True, description="Read gzip-compressed CSV files")
    variant("zstd", default=True, description="Read zstd-compressed CSV files")

    depends_on("cxx", type="build")
    depends_on("cmake@3.25:", type="build")
    depends_on("mpi")
    # Header-only, but its users link Boost.MPI built for the same MPI as the job's.
    depends_on("boost@1.74: +mpi+serialization")
    depends_on("zlib-api", when="+zlib")
    depends_on("zstd", when="+zstd")

    def cmake_args(self):
        return [
            self.define("BUILD_TESTING", False),
            self.define("BATON_BUILD_EXAMPLES", False),
            self.define("MPI_CXX_COMPILER", self.spec["mpi"].mpicxx),
            self.define_from_variant("BATON_WITH_ZLIB", "zlib"),
            self.define_from_variant("BATON_WITH_ZSTD", "zstd"),
        ]

    def test_consumer(self):
        """build a CMake project that finds baton, and run it on 2 ranks under Spack's MPI"""
        with working_dir("consumer", create=True):
            with open("CMakeLists.txt", "w") as f:
                f.write(
                    "cmake_minimum_required(VERSION 3.25)\n"
                    "project(baton_spack_consumer LANGUAGES CXX)\n"
                    "find_package(baton REQUIRED)\n"
                    "add_executable(consumer consumer.cpp)\n"
                    "target_link_libraries(consumer PRIVATE baton::baton)\n"
                )
            with open("consumer.cpp", "w") as f:
                f.write(
                    "#include <baton/baton.hpp>\n"
                    "int main(int argc, char** argv) {\n"
                    "    baton::environment env(argc, argv);\n"
                    "    baton::comm world;\n"
                    "    const int sum = world.all_reduce(world.rank() + 1, std::plus<>{});\n"
                    "    return sum == world.size() * (world.size() + 1) / 2 ? 0 : 1;\n"
                    "}\n"
                )
            cmake = which(self.spec["cmake"].prefix.bin.cmake)
            cmake("-S", ".", "-B", "build", "-DCMAKE_PREFIX_PATH=" + self.prefix)
            cmake("--build", "build")
            mpiexec = which(os.path.join(self.spec["mpi"].prefix.bin, "mpiexec"))
            mpiexec("-n", "2", os.path.join("build", "consumer"))
