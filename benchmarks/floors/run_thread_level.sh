#!/usr/bin/env bash
# What the thread level costs a small message in plain MPI (benchmarks/floors/thread_level.cpp), on
# MPICH and Open MPI. A level is fixed for a process's life, so the levels run as separate jobs,
# alternated over several passes; the table gives each figure's median over the passes.
#   benchmarks/floors/run_thread_level.sh [passes]     (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
passes="${1:-5}"
for preset in bench bench-openmpi; do
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" --target thread_level >/dev/null
done
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
for ((pass = 0; pass < passes; ++pass)); do
  for level in single funneled serialized multiple; do
    mpiexec.mpich -n 2 build/bench/benchmarks/thread_level "$level" | sed 's/^/MPICH /' >> "$raw"
    mpiexec.openmpi -n 2 build/bench-openmpi/benchmarks/thread_level "$level" | sed 's/^/Open_MPI /' >> "$raw"
  done
done
echo "| MPI | level asked (provided) | message | MPI_Recv, known size | MPI_Mprobe + MPI_Mrecv, new buffer |"
echo "|---|---|---|---|---|"
# Input lines: "<MPI> asked=<level> provided=<level> bytes=<n> recv_us=<us> mprobe_mrecv_us=<us>"
awk '{ for (i = 2; i <= NF; ++i) { split($i, kv, "="); f[kv[1]] = kv[2] }
       key = $1 "|" f["asked"] " (" f["provided"] ")|" f["bytes"];
       recv[key] = recv[key] " " f["recv_us"]; probe[key] = probe[key] " " f["mprobe_mrecv_us"] }
     function median(list,   n, a, i, j, t) {
       n = split(list, a, " ");
       for (i = 1; i <= n; ++i) for (j = i + 1; j <= n; ++j) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
       return a[int((n + 1) / 2)]
     }
     END {
       split("MPICH Open_MPI", mpis, " "); split("single funneled serialized multiple", levels, " ");
       split("8 512", sizes, " ");
       for (m = 1; m <= 2; ++m) for (b = 1; b <= 2; ++b) for (l = 1; l <= 4; ++l)
         for (k in recv) {
           split(k, p, "|");
           if (p[1] != mpis[m] || p[3] != sizes[b] || index(p[2], levels[l] " ") != 1) continue;
           name = p[1]; sub("_", " ", name);
           printf "| %s | %s | %s B | %s µs | %s µs |\n", name, p[2], p[3], median(recv[k]), median(probe[k])
         }
     }' "$raw"
