#!/bin/bash
# PBS/Torque job in the tutorial's shape: 2 nodes x 12 processes, the random search over C,
# resumable. Submit it once with
#   qsub pbs_random_search.sh
# Each run records every score in the journal as it arrives. Before it starts the search it
# queues its own successor, held until this job ends (`afternotok`: it runs only if this job
# did not finish, killed at its walltime or a node lost) and then resuming from the journal.
# When the search returns, finished or failed on its own, the successor is deleted. At most
# MAX_RESUBMITS successors are queued in a row.
# Change the node properties, the module names and the data path for your site
# (docs/clusters.md says what each line does).
#PBS -N baton_search
#PBS -l nodes=2:vortex:ppn=12
#PBS -l walltime=00:30:00
#PBS -j oe
#PBS -S /bin/bash

module load mvapich2-ib
# module load boost   # if your site's Boost.MPI is a module; built against the SAME MPI

cd "${PBS_O_WORKDIR:-.}"
# The data file must exist on every node's local disk (or a shared file system) at this path.
data=${DATA:-/local/scratch/$USER/studentpor_bigger.csv}
candidates=${CANDIDATES:-240}
submission=${SUBMISSION:-0}
max_resubmits=${MAX_RESUBMITS:-10}

successor=
if [ "$submission" -lt "$max_resubmits" ]; then
  successor=$(qsub -W "depend=afternotok:$PBS_JOBID" -v "SUBMISSION=$((submission + 1)),DATA=$data,CANDIDATES=$candidates" \
    "$PBS_O_WORKDIR/pbs_random_search.sh")
  echo "queued $successor to resume if this job is cut short (submission $((submission + 1)) of $max_resubmits)"
fi

# MVAPICH2 sites often provide mvp2run; elsewhere use the MPI's own launcher (mpiexec -n 24).
status=0
mpiexec ./random_search --data "$data" --candidates "$candidates" --seed 1 \
  --checkpoint search.journal --report report.csv >> output.out 2>&1 || status=$?

# The search returned: finished, or failed for a reason a rerun would not fix.
if [ -n "$successor" ]; then qdel "$successor"; fi
exit "$status"
