#!/usr/bin/python3
"""Times pandas.read_csv (C engine) on FILE with separator SEP: best of REPEAT runs, and peak memory (max RSS).

    csv_pandas.py FILE SEP [REPEAT]
"""
import resource
import sys
import time

import pandas as pd

path, sep = sys.argv[1], sys.argv[2]
repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 3
best = float("inf")
for _ in range(repeat):
    start = time.perf_counter()
    frame = pd.read_csv(path, sep=sep)
    best = min(best, time.perf_counter() - start)
    rows, columns = frame.shape
    del frame
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"pandas,rows={rows},columns={columns},seconds={best:.3f},peak_rss_MB={peak_mb:.0f}")
