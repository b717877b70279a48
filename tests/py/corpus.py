"""The pickle corpus: values CPython and NumPy pickle at protocols 2 to 5, written as files for
baton's codec to read, and the check that what baton writes back is the same value.

    python3 corpus.py write DIR          one file NAME.pPROTO.pkl per value and protocol
    python3 corpus.py check DIR OUT      OUT/NAME.pPROTO.pkl (baton's re-pickle of each) loads
                                         equal to the original, with the same types, key order,
                                         dtype, shape and memory order
Exits non-zero, naming each difference, if any value differs.
"""
import math
import os
import pickle
import sys

import numpy as np


def values():
    shared = [1, 2, 3]
    v = {
        "none": None,
        "true": True,
        "false": False,
        "small_ints": [0, 1, -1, 255, 256, 65535, 65536, -65536, 2**31 - 1, -2**31, 2**31, 2**63 - 1, -2**63],
        "big_ints": [2**64, -2**64, 2**100 + 12345, -(2**200), 10**80, 2**63, 2**64 - 1],
        "huge_int": 7**3000,
        "floats": [0.0, -0.0, 1.5, -2.25, 1e300, 5e-324, 2.2250738585072014e-308, 1e-310,
                   math.inf, -math.inf, 0.1, 1.0, 123456789.125],
        "nan": math.nan,
        "str_empty": "",
        "str_ascii": "hello, world",
        "str_bmp": "caf\u00e9 \u4e2d\u6587 \u0416",
        "str_astral": "emoji \U0001F600 math \U0001D49C",
        "str_1mb": "x" * 1_000_000,
        "str_long_utf8": "\u00e9" * 70000,
        "bytes_empty": b"",
        "bytes": b"\x00\x01\xff binary \x80",
        "bytes_big": bytes(range(256)) * 400,
        "bytearray": bytearray(b"\x00mutable\xff"),
        "bytearray_empty": bytearray(),
        "list_empty": [],
        "tuple_empty": (),
        "tuple_1": (1,),
        "tuple_2": (1, "a"),
        "tuple_3": (1, 2.0, "three"),
        "tuple_5": (1, 2, 3, 4, (5, (6,))),
        "dict_empty": {},
        "dict_mixed_keys": {"b": 1, 1: "one", (1, 2): [3], None: 0, 2.5: b"x", True: False},
        "dict_1200": {("k%d" % ((i * 7919) % 1200)): i for i in range(1200)},
        "set_empty": set(),
        "set": {1, "two", (3, 4), 5.5},
        "frozenset_empty": frozenset(),
        "frozenset": frozenset({1, 2, "x"}),
        "nested": {"list": [[1, [2, [3, [4, []]]]], {"in": {"deep": (1, {2})}}], "f": [frozenset({1})]},
        "shared_refs": [shared, shared, {"again": shared}],
        "list_2500": list(range(2500)),
        "floats_list_10000": [i * 0.25 for i in range(10000)],
        "array_f8": np.arange(12, dtype=np.float64).reshape(3, 4) / 3,
        "array_f4": np.linspace(-1, 1, 7, dtype=np.float32),
        "array_bool": np.array([True, False, True]),
        "array_fortran": np.asfortranarray(np.arange(24, dtype=np.int32).reshape(2, 3, 4)),
        "array_big_endian": np.arange(5, dtype=">i8"),
        "array_empty": np.zeros((0, 3)),
        "array_0d": np.array(7, dtype=np.int16),
        "array_1m": np.arange(1_000_000, dtype=np.float64),
        "arrays_shared_dtype": [np.zeros(2, dtype=np.uint16), np.ones(3, dtype=np.uint16)],
        "scalar_mean": np.mean([1.0, 2.0, 4.0]),
        "scalars": [np.int8(-5), np.uint8(250), np.int16(-300), np.uint16(60000), np.int32(-7), np.uint32(4000000000),
                    np.int64(-2**40), np.uint64(2**64 - 1), np.float32(0.5), np.float64(-1.25), np.bool_(True)],
    }
    for kind in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64"):
        info = np.iinfo(kind) if kind[0] in "iu" else np.finfo(kind)
        v["array_" + kind] = np.array([info.min, 0, info.max], dtype=kind)
    return v


def same(a, b, path):
    """The differences between a and b (type by type, as the docs promise), as a list of text."""
    if type(a) is not type(b):
        return ["%s: %s against %s" % (path, type(a).__name__, type(b).__name__)]
    if isinstance(a, np.ndarray):
        out = []
        if a.dtype != b.dtype or a.dtype.byteorder != b.dtype.byteorder:
            out.append("%s: dtype %s against %s" % (path, a.dtype.str, b.dtype.str))
        if a.shape != b.shape:
            out.append("%s: shape %s against %s" % (path, a.shape, b.shape))
        elif a.flags.f_contiguous != b.flags.f_contiguous or a.flags.c_contiguous != b.flags.c_contiguous:
            out.append("%s: memory order differs" % path)
        elif not np.array_equal(a, b):
            out.append("%s: values differ" % path)
        return out
    if isinstance(a, np.generic):
        if a.dtype != b.dtype or not (a == b or (a != a and b != b)):
            return ["%s: %r against %r" % (path, a, b)]
        return []
    if isinstance(a, float):
        if math.isnan(a) and math.isnan(b):
            return []
        if a != b or math.copysign(1, a) != math.copysign(1, b):
            return ["%s: %r against %r" % (path, a, b)]
        return []
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return ["%s: %d items against %d" % (path, len(a), len(b))]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in same(x, y, "%s[%d]" % (path, i))]
    if isinstance(a, dict):
        if list(a.keys()) != list(b.keys()):
            return ["%s: keys or their order differ" % path]
        return [d for k in a for d in same(a[k], b[k], "%s[%r]" % (path, k))]
    if a != b:
        return ["%s: %r against %r" % (path, a, b)]
    return []


def main():
    mode, directory = sys.argv[1], sys.argv[2]
    if mode == "write":
        os.makedirs(directory, exist_ok=True)
        count = 0
        for name, value in values().items():
            for protocol in (2, 3, 4, 5):
                with open(os.path.join(directory, "%s.p%d.pkl" % (name, protocol)), "wb") as f:
                    pickle.dump(value, f, protocol=protocol)
                count += 1
        print("wrote %d pickles to %s" % (count, directory))
        return 0
    out = sys.argv[3]
    originals = values()
    problems, checked = [], 0
    for file in sorted(os.listdir(directory)):
        name = file.rsplit(".", 2)[0]
        with open(os.path.join(out, file), "rb") as f:
            echoed = pickle.load(f)
        problems += same(originals[name], echoed, file)
        if name == "shared_refs" and not (echoed[0] is echoed[1] is echoed[2]["again"]):
            problems.append("%s: the shared list came back as copies" % file)
        checked += 1
    for p in problems:
        print("DIFFERENT", p)
    print("%d pickles read back by baton and re-pickled: %d the same, %d different" %
          (checked, checked - len(set(p.split(":")[0] for p in problems)), len(set(p.split(":")[0] for p in problems))))
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
