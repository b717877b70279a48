"""CPython's pickle side of benchmarks/py/run_pickle.sh: writes the payloads (protocol 5, as mpi4py
sends them) and times pickle.loads and pickle.dumps of each, printing lines shaped like the C++
program's: NAME python LOADS_US DUMPS_US.
    python3 pickle_codec.py write DIR
    python3 pickle_codec.py time DIR ROUNDS
"""
import os
import pickle
import random
import statistics
import sys
import time


def payloads():
    rng = random.Random(11)
    return {
        "floats_1m": [rng.random() for _ in range(1_000_000)],
        "strings_200k": ["student_%d" % rng.randrange(10**6) for _ in range(200_000)],
        "floats_100": [rng.random() for _ in range(100)],  # the tutorial's hand-off
    }


def main():
    mode, directory = sys.argv[1], sys.argv[2]
    if mode == "write":
        os.makedirs(directory, exist_ok=True)
        for name, value in payloads().items():
            with open(os.path.join(directory, name + ".pkl"), "wb") as f:
                pickle.dump(value, f, protocol=5)
        return
    rounds = int(sys.argv[3])
    for name in ("floats_1m", "strings_200k", "floats_100"):
        with open(os.path.join(directory, name + ".pkl"), "rb") as f:
            data = f.read()
        n = rounds * (100 if name == "floats_100" else 1)
        loads, dumps = [], []
        for _ in range(n):
            t0 = time.perf_counter()
            value = pickle.loads(data)
            t1 = time.perf_counter()
            pickle.dumps(value, protocol=5)
            t2 = time.perf_counter()
            loads.append((t1 - t0) * 1e6)
            dumps.append((t2 - t1) * 1e6)
        print("%s python %.1f %.1f" % (name, statistics.median(loads), statistics.median(dumps)))


if __name__ == "__main__":
    main()
