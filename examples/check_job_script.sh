#!/usr/bin/env bash
# Runs a job script of examples/jobs/ with the scheduler's commands replaced by stubs that
# record their calls, and the launcher by the MPI under test on 2 ranks. Checks the chain:
#   1. a first run queues a successor held with afternotok, runs the search to the end and
#      cancels the successor; the report has every candidate;
#   2. a run killed during the search (as at a time limit) leaves its successor queued;
#   3. the successor resumes from the journal and reports what the first run did;
#   4. at MAX_RESUBMITS no successor is queued.
#   check_job_script.sh slurm|pbs JOB_SCRIPT PROGRAM DATA LAUNCHER [LAUNCHER_FLAGS...]
set -euo pipefail
kind=$1 job=$2 program=$3 data=$4
shift 4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
printf '%q ' "$@" > "$work/launcher"
calls=$work/calls
stub() { printf '#!/usr/bin/env bash\n%s\n' "$2" > "$work/bin/$1" && chmod +x "$work/bin/$1"; }
stub sbatch "echo \"sbatch \$*\" >> $calls; echo 4242"
stub qsub "echo \"qsub \$*\" >> $calls; echo 4242.server"
stub scancel "echo \"scancel \$*\" >> $calls"
stub qdel "echo \"qdel \$*\" >> $calls"
stub module "exit 0"
# The launcher: the MPI under test on 2 ranks; KILL_JOB=1 kills the job script mid-search,
# as a scheduler's time limit does, after the search has scored a few candidates.
# The whole job goes at once: the launcher runs in a process group of its own, killed with the
# job script.
launch="if [ \"\${KILL_JOB:-0}\" = 1 ]; then
  setsid $(cat "$work/launcher") -n 2 \"\$@\" &
  while [ ! -s search.journal ] || [ \$(stat -c %s search.journal) -lt 150 ]; do sleep 0.01; done
  kill -KILL -- -\$! \$PPID; exit 137
fi
exec $(cat "$work/launcher") -n 2 \"\$@\""
stub srun "$launch"
stub mpiexec "$launch"
cp "$job" "$work/"
ln -s "$program" "$work/random_search"
name=$(basename "$job")
fail() { echo "FAIL: $*"; echo "--- calls:"; cat "$calls" 2>/dev/null; exit 1; }

run() {  # run SUBMISSION [extra env...]: the job script as the scheduler would start it
  local submission=$1
  shift
  (cd "$work" && env PATH="$work/bin:$PATH" SLURM_JOB_ID=100 SLURM_SUBMIT_DIR="$work" PBS_JOBID=100.server \
    PBS_O_WORKDIR="$work" DATA="$data" CANDIDATES=40 SUBMISSION="$submission" MAX_RESUBMITS=3 "$@" \
    bash "$work/$name") > "$work/out" 2>&1 || echo "job script exit status $?" >> "$work/out"
}
if [ "$kind" = slurm ]; then
  queued="sbatch --parsable --dependency=afternotok:100 --export=ALL,SUBMISSION=@@ $work/$name"
  cancelled="scancel 4242"
else
  queued="qsub -W depend=afternotok:100.server -v SUBMISSION=@@,DATA=$data,CANDIDATES=40 $work/$name"
  cancelled="qdel 4242.server"
fi

# 2 first: a run killed mid-search keeps its successor.
run 0 KILL_JOB=1
grep -qxF "${queued/@@/1}" "$calls" || fail "the killed run did not queue its successor as '${queued/@@/1}'"
grep -q "^${cancelled%% *}" "$calls" && fail "the killed run cancelled its successor"
[ -s "$work/search.journal" ] || fail "the killed run left no journal"
[ -f "$work/report.csv" ] && fail "the killed run wrote a report"
# 3: its successor resumes and finishes, cancelling its own successor.
: > "$calls"
run 1
grep -qxF "${queued/@@/2}" "$calls" || fail "the successor did not queue the next as '${queued/@@/2}'"
grep -qxF "$cancelled" "$calls" || fail "the finished run did not cancel its successor ('$cancelled')"
[ "$(wc -l < "$work/report.csv")" = 41 ] || fail "the report does not have 40 candidates"
cp "$work/report.csv" "$work/resumed.csv"
# 1: a clean run from nothing reports the same.
rm -f "$work/search.journal" "$work/report.csv"
: > "$calls"
run 0
grep -qxF "${queued/@@/1}" "$calls" || fail "a first run did not queue its successor"
grep -qxF "$cancelled" "$calls" || fail "a finished first run did not cancel its successor"
cmp -s "$work/report.csv" "$work/resumed.csv" || fail "the resumed report differs from a clean run's"
# 4: the last allowed submission queues nothing.
: > "$calls"
run 3
grep -q "^${queued%% *}" "$calls" && fail "submission 3 of 3 queued another"
echo "PASS: $kind job script queues, cancels and resumes as it should"
