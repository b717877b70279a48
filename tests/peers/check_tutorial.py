"""Runs the tutorial's job given after "--" (its Python rank 0 seeded with SEED through
run_seeded.py) and checks that the C++ rank 1 printed the parameters exactly as the Python
rank 1 would: the line print(param_list[0:100]) gives for the same draws, byte for byte.

    python3 check_tutorial.py SEED -- mpiexec -n 1 python3 run_seeded.py SEED tutorial.py : -n 1 tutorial_rank1 data.csv

The launchers forward each rank's output in chunks and may put one rank's line in the middle of
another's long line, so the other lines the job prints are taken out before the match.
"""
import random
import subprocess
import sys

seed = int(sys.argv[1])
command = sys.argv[sys.argv.index("--") + 1:]
random.seed(seed)
param_list = []
for i in range(0, 1000):
    param_list.append(random.random() * 10)
expected = str(param_list[0:100]) + "\n"

job = subprocess.run(command, capture_output=True, text=True, timeout=100)
if job.returncode != 0:
    sys.exit("the job failed (%d):\n%s\n%s" % (job.returncode, job.stdout, job.stderr))
rest = job.stdout
for line in ("Hello from 0.  There are a total of 2 of us.  Good luck.",
             "Hello from 1.  There are a total of 2 of us.  Good luck.",
             "I am the rank 0 node.  Code you write here will only execute on this process.",
             "This is frequently used to create a master node that collects results from other nodes."):
    if line + "\n" not in rest:
        sys.exit("missing line %r in the job's output:\n%s" % (line, job.stdout))
    rest = rest.replace(line + "\n", "", 1)
if rest != expected:
    sys.exit("rank 1 printed\n%r\nwhere Python prints\n%r" % (rest, expected))
print("rank 1 printed the parameters as Python does")
