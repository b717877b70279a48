"""The part of mpi4py's MPI module that baton's Python-peer tests use, on MPICH.

Debian ships mpi4py built for Open MPI only, and its source package cannot be fetched here, so
on MPICH the peers import this module instead (tests/peers/CMakeLists.txt puts it first on
PYTHONPATH). It calls MPICH's libmpi through ctypes, with the handle values of the MPICH ABI
(mpich/mpi.h), and frames every message as mpi4py's src/mpi4py/MPI/msgpickle.pxi does:

- sendrecv: isend, recv, wait (PyMPI_sendrecv);
- send, isend: the pickle as one MPI_BYTE message (PyMPI_send, PyMPI_isend);
- recv: MPI_Mprobe, MPI_Get_count(MPI_BYTE), MPI_Mrecv; no bytes is None (PyMPI_recv_match,
  pickle_load);
- irecv: an MPI_Irecv into a 32 KiB buffer (PyMPI_irecv: rcount = 1<<15), loaded on wait;
- bcast: the root's length, then its bytes (PyMPI_bcast);
- gather, scatter, allgather, alltoall: each item pickled, the lengths with MPI_Gather,
  MPI_Scatter, MPI_Allgather, MPI_Alltoall, then the bytes with the v variants, packed in rank
  order (PyMPI_gather, _scatter, _allgather, _alltoall; pickle_dumpv, pickle_loadv);
- the lengths are MPI_INT (mpi4py 3.x) or, with BATON_MPI4PY_FRAMING=4, MPI_COUNT (4.x);
- the protocol is pickle.HIGHEST_PROTOCOL unless MPI4PY_PICKLE_PROTOCOL or MPI.pickle.PROTOCOL
  says otherwise.
"""
import atexit
import ctypes
import os
import pickle as _pickle

_lib = ctypes.CDLL(os.environ.get("BATON_LIBMPI", "libmpich.so.12"), mode=ctypes.RTLD_GLOBAL)

ANY_SOURCE = -2
ANY_TAG = -1
_BYTE = 0x4C00010D
_INT = 0x4C000405
_COUNT = 0x4C000845
_STATUS_IGNORE = ctypes.c_void_p(1)
_WIDE = os.environ.get("BATON_MPI4PY_FRAMING", "3") == "4"
_count_t = ctypes.c_long if _WIDE else ctypes.c_int
_count_type = _COUNT if _WIDE else _INT


class _Status(ctypes.Structure):
    _fields_ = [("count_lo", ctypes.c_int), ("count_hi_and_cancelled", ctypes.c_int),
                ("MPI_SOURCE", ctypes.c_int), ("MPI_TAG", ctypes.c_int), ("MPI_ERROR", ctypes.c_int)]


def _check(code, call):
    if code != 0:
        raise RuntimeError("%s failed with MPI error %d" % (call, code))


class _Pickle:
    """MPI.pickle: its PROTOCOL is the one every send uses, as in mpi4py."""

    def __init__(self):
        self.PROTOCOL = int(os.environ.get("MPI4PY_PICKLE_PROTOCOL", _pickle.HIGHEST_PROTOCOL))


pickle = _Pickle()


def _dumps(obj):
    return _pickle.dumps(obj, pickle.PROTOCOL)


def _loads(data):
    return None if len(data) == 0 else _pickle.loads(data)


def _count(status):
    n = ctypes.c_int()
    _check(_lib.MPI_Get_count(ctypes.byref(status), _BYTE, ctypes.byref(n)), "MPI_Get_count")
    return n.value


class Request:
    def __init__(self, handle, keep, receive):
        self._handle = handle
        self._keep = keep
        self._receive = receive

    def wait(self):
        status = _Status()
        _check(_lib.MPI_Wait(ctypes.byref(self._handle), ctypes.byref(status)), "MPI_Wait")
        if not self._receive:
            return None
        return _loads(bytes(self._keep[:_count(status)]))

    def test(self):
        done = ctypes.c_int()
        status = _Status()
        _check(_lib.MPI_Test(ctypes.byref(self._handle), ctypes.byref(done), ctypes.byref(status)), "MPI_Test")
        if not done.value:
            return False, None
        return True, (_loads(bytes(self._keep[:_count(status)])) if self._receive else None)


class Comm:
    def __init__(self, handle):
        self._comm = handle

    def Get_rank(self):
        r = ctypes.c_int()
        _check(_lib.MPI_Comm_rank(self._comm, ctypes.byref(r)), "MPI_Comm_rank")
        return r.value

    def Get_size(self):
        s = ctypes.c_int()
        _check(_lib.MPI_Comm_size(self._comm, ctypes.byref(s)), "MPI_Comm_size")
        return s.value

    rank = property(Get_rank)
    size = property(Get_size)

    def send(self, obj, dest, tag=0):
        data = _dumps(obj)
        _check(_lib.MPI_Send(data, len(data), _BYTE, dest, tag, self._comm), "MPI_Send")

    def isend(self, obj, dest, tag=0):
        data = _dumps(obj)
        request = ctypes.c_int()
        _check(_lib.MPI_Isend(data, len(data), _BYTE, dest, tag, self._comm, ctypes.byref(request)), "MPI_Isend")
        return Request(request, data, False)

    def recv(self, buf=None, source=ANY_SOURCE, tag=ANY_TAG, status=None):
        message = ctypes.c_int()
        st = _Status()
        _check(_lib.MPI_Mprobe(source, tag, self._comm, ctypes.byref(message), ctypes.byref(st)), "MPI_Mprobe")
        n = _count(st)
        data = ctypes.create_string_buffer(max(n, 1))
        _check(_lib.MPI_Mrecv(data, n, _BYTE, ctypes.byref(message), _STATUS_IGNORE), "MPI_Mrecv")
        return _loads(data.raw[:n])

    def sendrecv(self, sendobj, dest, sendtag=0, recvbuf=None, source=ANY_SOURCE, recvtag=ANY_TAG, status=None):
        request = self.isend(sendobj, dest, sendtag)
        got = self.recv(None, source, recvtag)
        request.wait()
        return got

    def irecv(self, buf=None, source=ANY_SOURCE, tag=ANY_TAG):
        data = ctypes.create_string_buffer(1 << 15)
        request = ctypes.c_int()
        _check(_lib.MPI_Irecv(data, 1 << 15, _BYTE, source, tag, self._comm, ctypes.byref(request)), "MPI_Irecv")
        return Request(request, data, True)

    def barrier(self):
        _check(_lib.MPI_Barrier(self._comm), "MPI_Barrier")

    def bcast(self, obj, root=0):
        mine = self.Get_rank() == root
        data = _dumps(obj) if mine else b""
        n = _count_t(len(data))
        _check(_lib.MPI_Bcast(ctypes.byref(n), 1, _count_type, root, self._comm), "MPI_Bcast")
        buf = ctypes.create_string_buffer(data, max(n.value, 1)) if mine else ctypes.create_string_buffer(max(n.value, 1))
        _check(_lib.MPI_Bcast(buf, n.value, _BYTE, root, self._comm), "MPI_Bcast")
        return obj if mine else _loads(buf.raw[:n.value])

    def _layout(self, counts):
        size = len(counts)
        ints = (ctypes.c_int * size)(*counts)
        offsets = (ctypes.c_int * size)()
        at = 0
        for r in range(size):
            offsets[r] = at
            at += counts[r]
        return ints, offsets, at

    @staticmethod
    def _split(raw, counts, offsets):
        return [_loads(raw[offsets[r]:offsets[r] + counts[r]]) for r in range(len(counts))]

    def gather(self, sendobj, root=0):
        size = self.Get_size()
        mine = self.Get_rank() == root
        data = _dumps(sendobj)
        n = _count_t(len(data))
        counts = (_count_t * size)()
        _check(_lib.MPI_Gather(ctypes.byref(n), 1, _count_type, counts, 1, _count_type, root, self._comm), "MPI_Gather")
        ints, offsets, total = self._layout(list(counts) if mine else [0] * size)
        out = ctypes.create_string_buffer(max(total, 1))
        _check(_lib.MPI_Gatherv(data, len(data), _BYTE, out, ints, offsets, _BYTE, root, self._comm), "MPI_Gatherv")
        return self._split(out.raw, ints, offsets) if mine else None

    def allgather(self, sendobj):
        size = self.Get_size()
        data = _dumps(sendobj)
        n = _count_t(len(data))
        counts = (_count_t * size)()
        _check(_lib.MPI_Allgather(ctypes.byref(n), 1, _count_type, counts, 1, _count_type, self._comm), "MPI_Allgather")
        ints, offsets, total = self._layout(list(counts))
        out = ctypes.create_string_buffer(max(total, 1))
        _check(_lib.MPI_Allgatherv(data, len(data), _BYTE, out, ints, offsets, _BYTE, self._comm), "MPI_Allgatherv")
        return self._split(out.raw, ints, offsets)

    def scatter(self, sendobj, root=0):
        size = self.Get_size()
        mine = self.Get_rank() == root
        pieces = [_dumps(item) for item in (list(sendobj) if mine else [])]
        if mine and len(pieces) != size:
            raise ValueError("expecting %d items, got %d" % (size, len(pieces)))
        lengths = (_count_t * size)(*[len(p) for p in pieces]) if mine else (_count_t * size)()
        n = _count_t()
        _check(_lib.MPI_Scatter(lengths, 1, _count_type, ctypes.byref(n), 1, _count_type, root, self._comm),
               "MPI_Scatter")
        ints, offsets, _ = self._layout([len(p) for p in pieces] if mine else [0] * size)
        packed = b"".join(pieces)
        out = ctypes.create_string_buffer(max(n.value, 1))
        _check(_lib.MPI_Scatterv(packed, ints, offsets, _BYTE, out, n.value, _BYTE, root, self._comm), "MPI_Scatterv")
        return _loads(out.raw[:n.value])

    def alltoall(self, sendobj):
        size = self.Get_size()
        pieces = [_dumps(item) for item in sendobj]
        if len(pieces) != size:
            raise ValueError("expecting %d items, got %d" % (size, len(pieces)))
        lengths = (_count_t * size)(*[len(p) for p in pieces])
        got = (_count_t * size)()
        _check(_lib.MPI_Alltoall(lengths, 1, _count_type, got, 1, _count_type, self._comm), "MPI_Alltoall")
        sints, soffsets, _ = self._layout([len(p) for p in pieces])
        rints, roffsets, total = self._layout(list(got))
        out = ctypes.create_string_buffer(max(total, 1))
        _check(_lib.MPI_Alltoallv(b"".join(pieces), sints, soffsets, _BYTE, out, rints, roffsets, _BYTE, self._comm),
               "MPI_Alltoallv")
        return self._split(out.raw, rints, roffsets)


_check(_lib.MPI_Init(None, None), "MPI_Init")
atexit.register(_lib.MPI_Finalize)
COMM_WORLD = Comm(0x44000000)
