"""The tutorial's payload, a list of 100 floats, sent by a Python rank (rank 0) and echoed back
by rank 1, which is either this script (an mpi4py echo) or benchmarks/peers/echo_peer.cpp (a
baton echo). Rank 0 prints the median round trip over the timed repetitions.

    mpiexec -n 1 python3 echo.py REPS : -n 1 python3 echo.py REPS
    mpiexec -n 1 python3 echo.py REPS : -n 1 echo_peer REPS
"""
import random
import sys
import time

from mpi4py import MPI

comm = MPI.COMM_WORLD
reps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
warmup = reps // 10 + 10
random.seed(7)
payload = [random.random() * 10 for _ in range(100)]

if comm.Get_rank() == 0:
    times = []
    for i in range(warmup + reps):
        start = time.perf_counter()
        comm.send(payload, dest=1, tag=11)
        back = comm.recv(source=1, tag=12)
        elapsed = time.perf_counter() - start
        if i >= warmup:
            times.append(elapsed)
    if back != payload:
        sys.exit("the echo differs from what was sent")
    times.sort()
    print("round_trip_us=%.3f" % (times[len(times) // 2] * 1e6))
else:
    for i in range(warmup + reps):
        comm.send(comm.recv(source=0, tag=11), dest=0, tag=12)
