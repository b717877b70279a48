"""Checks packaging/spack/package.py against the repository, as far as a machine without Spack
can: the recipe is loaded with stand-ins for Spack's directives, then
- its versions are "main" and one per release tag vX.Y.Z (git tag), each pointing at its tag;
- it depends on an MPI, on Boost at CMakeLists.txt's minimum with +mpi+serialization (the
  components CMakeLists.txt finds), and on CMake at cmake_minimum_required's version;
- every -D option its cmake_args() passes is an option() of CMakeLists.txt (or CMake's own
  BUILD_TESTING, or FindMPI's MPI_CXX_COMPILER), and every variant it reads is declared.
Exits non-zero naming each drift.

    python3 check_spack_recipe.py REPOSITORY_ROOT
"""
import os
import re
import subprocess
import sys
import types

root = sys.argv[1]
recorded = {"version": [], "variant": [], "depends_on": [], "license": []}


def directive(name):
    def record(*args, **kwargs):
        recorded[name].append((args, kwargs))
    return record


package_module = types.ModuleType("spack.package")
for name in recorded:
    setattr(package_module, name, directive(name))
package_module.which = lambda *a, **k: None
package_module.working_dir = lambda *a, **k: None
package_module.__all__ = list(recorded) + ["which", "working_dir"]


class CMakePackage:
    def define(self, name, value):
        return "-D%s=%s" % (name, "ON" if value is True else "OFF" if value is False else value)

    def define_from_variant(self, name, variant):
        declared = [args[0] for args, _ in recorded["variant"]]
        if variant not in declared:
            problems.append("cmake_args reads variant %r, which the recipe does not declare" % variant)
        return "-D%s=ON" % name


cmake_module = types.ModuleType("spack_repo.builtin.build_systems.cmake")
cmake_module.CMakePackage = CMakePackage
for name in ("spack", "spack_repo", "spack_repo.builtin", "spack_repo.builtin.build_systems"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["spack.package"] = package_module
sys.modules["spack_repo.builtin.build_systems.cmake"] = cmake_module

problems = []
recipe_path = os.path.join(root, "packaging", "spack", "package.py")
namespace = {}
exec(compile(open(recipe_path).read(), recipe_path, "exec"), namespace)
recipe = namespace["Baton"]
cmakelists = open(os.path.join(root, "CMakeLists.txt")).read()

# Versions: main, and one per release tag.
tags = subprocess.run(["git", "-C", root, "tag", "--list", "v*"], capture_output=True, text=True).stdout.split()
releases = sorted(t for t in tags if re.fullmatch(r"v\d+\.\d+\.\d+", t))
versions = {args[0]: kwargs for args, kwargs in recorded["version"]}
if versions.get("main") != {"branch": "main"}:
    problems.append('the recipe needs version("main", branch="main")')
for tag in releases:
    if versions.get(tag[1:], {}).get("tag") != tag:
        problems.append('release tag %s has no version("%s", tag="%s")' % (tag, tag[1:], tag))
for name in versions:
    if name != "main" and "v" + name not in releases:
        problems.append("version %s has no release tag v%s" % (name, name))

# Dependencies against CMakeLists.txt.
depends = [args[0] for args, _ in recorded["depends_on"]]
if "mpi" not in depends:
    problems.append('the recipe must depend_on("mpi")')
boost = re.search(r"find_package\(Boost (\d+\.\d+) REQUIRED CONFIG COMPONENTS ([a-z ]+)\)", cmakelists)
cmake_minimum = re.search(r"cmake_minimum_required\(VERSION (\d+\.\d+)\)", cmakelists)
if not boost or not cmake_minimum:
    problems.append("CMakeLists.txt's find_package(Boost ...) or cmake_minimum_required moved: update this check")
else:
    wanted = "boost@%s: " % boost.group(1) + "".join("+" + c for c in boost.group(2).split())
    if wanted not in depends:
        problems.append('CMakeLists.txt finds Boost %s with %s: the recipe needs depends_on("%s")'
                        % (boost.group(1), boost.group(2), wanted))
    if "cmake@%s:" % cmake_minimum.group(1) not in depends:
        problems.append('CMakeLists.txt needs CMake %s: the recipe needs depends_on("cmake@%s:", type="build")'
                        % (cmake_minimum.group(1), cmake_minimum.group(1)))
for args, kwargs in recorded["depends_on"]:
    when = kwargs.get("when", "")
    declared = [a[0] for a, _ in recorded["variant"]]
    for variant in re.findall(r"\+(\w+)", when):
        if variant not in declared:
            problems.append("depends_on(%r, when=%r) names an undeclared variant" % (args[0], when))

# The options cmake_args passes exist.
instance = recipe.__new__(recipe)
instance.spec = {"mpi": types.SimpleNamespace(mpicxx="/spack/mpi/bin/mpicxx")}
options = set(re.findall(r"option\((\w+) ", cmakelists)) | {"BUILD_TESTING", "MPI_CXX_COMPILER"}
for arg in recipe.cmake_args(instance):
    name = re.match(r"-D(\w+)=", arg).group(1)
    if name not in options:
        problems.append("cmake_args passes -D%s, which CMakeLists.txt does not have" % name)

for p in problems:
    print("spack recipe: " + p)
if problems:
    sys.exit(1)
print("spack recipe: %d versions, %d dependencies, %d CMake options agree with the repository"
      % (len(versions), len(depends), len(recipe.cmake_args(instance))))
