#!/usr/bin/python3
"""Cross-checks random_search's report against scikit-learn (not part of the required tests).

    /usr/bin/python3 examples/cross_check_sklearn.py DATA.csv REPORT.csv [--folds 5] [--rows K]

For each C in the report (the first K rows), computes the same cross-validated accuracy with
sklearn.linear_model.LogisticRegression(C=C) on the same features, folds and scaling, and
prints both; exits 1 if any differs by more than one test row in one fold.
Needs Debian's python3-pandas and python3-sklearn.
"""
import argparse
import sys

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

parser = argparse.ArgumentParser()
parser.add_argument("data")
parser.add_argument("report")
parser.add_argument("--folds", type=int, default=5)
parser.add_argument("--rows", type=int, default=5)
args = parser.parse_args()

data = pd.read_csv(args.data)
integer = [c for c in data.columns if c != "G3" and pd.api.types.is_integer_dtype(data[c])]
yes_no = [c for c in data.columns if data[c].dtype == object and set(data[c].unique()) <= {"yes", "no"}]
x = np.hstack([data[integer].to_numpy(float), (data[yes_no] == "yes").to_numpy(float)])
y = (data["G3"] >= 10).to_numpy(int)
n, folds = len(y), args.folds

def cv_accuracy(c):
    scores = []
    for k in range(folds):
        lo, hi = k * n // folds, (k + 1) * n // folds
        test = np.zeros(n, bool)
        test[lo:hi] = True
        mean = x[~test].mean(axis=0)
        sd = x[~test].std(axis=0)  # population standard deviation
        sd[sd == 0] = 1.0
        model = LogisticRegression(C=c, tol=1e-10, max_iter=100000)
        model.fit((x[~test] - mean) / sd, y[~test])
        scores.append((model.predict((x[test] - mean) / sd) == y[test]).mean())
    return float(np.mean(scores))

report = pd.read_csv(args.report).head(args.rows)
worst = 0.0
for c, ours in zip(report["C"], report["cv_accuracy"]):
    theirs = cv_accuracy(c)
    worst = max(worst, abs(theirs - ours))
    print(f"C={c:.6f}  baton={ours:.6f}  sklearn={theirs:.6f}")
tolerance = 1.0 / (n // folds)
print(f"largest difference {worst:.6f} (tolerance: one row of one fold, {tolerance:.6f})")
sys.exit(0 if worst <= tolerance + 1e-12 else 1)
