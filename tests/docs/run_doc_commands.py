"""Runs the command blocks of the docs that a user would paste, so that a doc command that stops
working fails CI. In a Markdown file, a fenced block right after the line

    <!-- doc-test: run -->          runs (bash -euo pipefail), in the file's order;
    <!-- doc-test: file NAME -->    is written to NAME first (a program a later block builds).

Each Markdown file's blocks run in a fresh directory of their own, WORK/<the file's name>,
emptied first, which holds a link to each top-level entry of the repository (so `scripts/...`
and `build/mpich/...` work as the docs say, and what the commands write stays there). The
directory is the same on every run, as a user's checkout is, so that a build directory a block
names outside it stays valid from run to run (the README configures /tmp/baton-mpich with
--fresh, so that a second checkout, or this directory, can reuse it).

    python3 run_doc_commands.py REPOSITORY_ROOT WORK FILE.md...
Exits non-zero, naming the file and line of each block that failed, or if no block is marked.
"""
import os
import re
import shutil
import subprocess
import sys

root = os.path.abspath(sys.argv[1])
work_root = os.path.abspath(sys.argv[2])
marker = re.compile(r"<!-- doc-test: (run|file (\S+)) -->")
failures = []
ran = 0
for name in sys.argv[3:]:
    path = os.path.join(root, name)
    lines = open(path).read().split("\n")
    steps = []
    for i, line in enumerate(lines):
        m = marker.fullmatch(line.strip())
        if not m:
            continue
        start = i + 1
        if start >= len(lines) or not lines[start].startswith("```"):
            failures.append("%s:%d: a doc-test marker must be followed by a fenced block" % (name, i + 1))
            continue
        end = start + 1
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        steps.append((m.group(2), start + 1, "\n".join(lines[start + 1:end]) + "\n"))
    if not steps:
        continue
    work = os.path.join(work_root, name.replace("/", "_"))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for entry in os.listdir(root):
        if entry != ".git":
            os.symlink(os.path.join(root, entry), os.path.join(work, entry))
    for file_name, line, text in steps:
        where = "%s:%d" % (name, line)
        if file_name:
            target = os.path.join(work, file_name)
            if os.path.lexists(target):
                os.remove(target)  # a link into the repository: never write through it
            with open(target, "w") as out:
                out.write(text)
            continue
        ran += 1
        print("===== %s =====\n%s" % (where, text), flush=True)
        job = subprocess.run(["bash", "-euo", "pipefail", "-c", text], cwd=work, capture_output=True, text=True,
                             timeout=900)
        print(job.stdout[-3000:], job.stderr[-3000:], sep="\n", flush=True)
        if job.returncode != 0:
            failures.append("%s: the block failed (status %d)" % (where, job.returncode))
            break  # the file's later blocks build on this one
for f in failures:
    print("doc commands: " + f)
if ran == 0:
    failures.append("no block is marked to run")
    print("doc commands: no block is marked <!-- doc-test: run -->")
sys.exit(1 if failures else 0)
