"""The Python side of baton's Python-peer tests: an mpi4py program, run by an MPMD launch beside
cxx_peer (tests/peers/cxx_peer.cpp), which runs the same steps in the same order.

    mpiexec -n 1 python3 peer.py : -n 1 cxx_peer          (and other layouts, 2 and 3 ranks)

On Open MPI it is Debian's mpi4py; on MPICH, tests/peers/mpich_mpi4py (first on PYTHONPATH).
The first Python rank and the first C++ rank run the point-to-point steps; every rank runs the
collectives, each rank in turn as the root. Any difference raises, naming it.
"""
import os
import pickle
import sys

from mpi4py import MPI

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "py"))
import corpus  # noqa: E402  (tests/py/corpus.py: the codec's corpus of values)

comm = MPI.COMM_WORLD
rank = comm.Get_rank()
size = comm.Get_size()

kinds = comm.allgather("python")
me_first = kinds.index("python") == rank
cxx = kinds.index("c++")


def check(condition, what):
    if not condition:
        raise AssertionError("rank %d (python): %s" % (rank, what))


if me_first:
    # Every value of the corpus at every protocol, echoed by the C++ rank as a py::object.
    items = sorted(corpus.values().items())
    comm.send(len(items) * 4, dest=cxx, tag=1)
    for protocol in (2, 3, 4, 5):
        MPI.pickle.PROTOCOL = protocol
        for name, value in items:
            comm.send(value, dest=cxx, tag=2)
            back = comm.recv(source=cxx, tag=3)
            problems = corpus.same(value, back, "%s at protocol %d" % (name, protocol))
            check(not problems, "; ".join(problems))
    MPI.pickle.PROTOCOL = pickle.HIGHEST_PROTOCOL

    # Typed conversions, and the errors the C++ rank must report while the job goes on.
    comm.send([0.5, 1.25, 2.0], dest=cxx, tag=10)
    check(comm.recv(source=cxx, tag=11) == 3.75, "the C++ rank's sum of [0.5, 1.25, 2.0]")
    comm.send({"a": 1}, dest=cxx, tag=12)          # a dict where a list of float is expected
    reply = comm.recv(source=cxx, tag=13)
    check("dict" in reply and "std::vector<double>" in reply, "the mismatch names dict: %r" % reply)
    comm.send(os.system, dest=cxx, tag=14)        # a global the codec must refuse, by name
    reply = comm.recv(source=cxx, tag=15)
    check("system" in reply and "refuse" in reply.lower(), "the refused global is named: %r" % reply)
    comm.send(2**70, dest=cxx, tag=16)            # does not fit std::int64_t
    reply = comm.recv(source=cxx, tag=17)
    check("int" in reply, "the value that does not fit: %r" % reply)
    comm.send(None, dest=cxx, tag=18)             # mpi4py sends None as a pickle; the empty
    check(comm.recv(source=cxx, tag=19) == "none", "None arrives as an empty optional")

    # Non-blocking calls on both sides, and a probe of a message's length.
    request = comm.isend({"x": [1, 2, 3]}, dest=cxx, tag=20)
    request.wait()
    check(comm.irecv(source=cxx, tag=21).wait() == ("tuple", 7), "the C++ rank's isend")
    comm.send("probe me", dest=cxx, tag=22)
    check(comm.recv(source=cxx, tag=23) == len(pickle.dumps("probe me", pickle.HIGHEST_PROTOCOL)),
          "the probe's count is the pickle's length")
    got = comm.sendrecv(b"from python", dest=cxx, sendtag=24, source=cxx, recvtag=25)
    check(got == b"from python, and back", "sendrecv: %r" % got)
    comm.send(comm.recv(source=cxx, tag=26) + ", and back", dest=cxx, tag=27)  # the C++ sendrecv

# Collectives, each rank in turn the root.
for root in range(size):
    got = comm.bcast({"root": root, "kind": kinds[root]} if rank == root else None, root=root)
    check(got == {"root": root, "kind": kinds[root]}, "bcast from %d: %r" % (root, got))
    got = comm.gather([rank, rank * 10], root=root)
    if rank == root:
        check(got == [[r, r * 10] for r in range(size)], "gather to %d: %r" % (root, got))
    else:
        check(got is None, "gather to %d gives None off the root" % root)
    got = comm.scatter([[root, r] for r in range(size)] if rank == root else None, root=root)
    check(got == [root, rank], "scatter from %d: %r" % (root, got))
got = comm.allgather("rank %d" % rank)
check(got == ["rank %d" % r for r in range(size)], "allgather: %r" % got)
got = comm.alltoall([[rank, r] for r in range(size)])
check(got == [[r, rank] for r in range(size)], "alltoall: %r" % got)
comm.barrier()
print("rank %d (python): every step passed" % rank)
