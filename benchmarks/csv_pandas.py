#!/usr/bin/python3
"""Times pandas.read_csv (C engine) on FILE: best of --repeat runs, and peak memory (max RSS)."""
import resource
import sys
import time

import pandas as pd

path = sys.argv[1]
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
best = float("inf")
for _ in range(repeat):
    start = time.perf_counter()
    frame = pd.read_csv(path)
    best = min(best, time.perf_counter() - start)
    rows = len(frame)
    del frame
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"pandas,rows={rows},seconds={best:.3f},peak_rss_MB={peak_mb:.0f}")
