#!/bin/bash
# Slurm job: 2 nodes x 12 tasks, the random search over C, resumable. Submit it once with
#   sbatch slurm_random_search.sh
# Each run records every score in the journal as it arrives. Before it starts the search it
# queues its own successor, held until this job ends, with `afternotok`: the successor only
# runs if this job did not finish (killed at its time limit, a node lost), and then resumes
# from the journal. When the search returns, finished or failed on its own, the successor
# is cancelled. At most MAX_RESUBMITS successors are queued in a row.
# Adjust the modules and paths for your site (see docs/clusters.md).
#SBATCH --job-name=baton_search
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=12
#SBATCH --time=00:30:00
#SBATCH --output=output.%j.out

module load mpich        # or: intel-mpi, cray-mpich, openmpi — the MPI baton was built with

data=${DATA:-/local/scratch/$USER/studentpor_bigger.csv}   # on every node's local disk, same path
candidates=${CANDIDATES:-240}
submission=${SUBMISSION:-0}
max_resubmits=${MAX_RESUBMITS:-10}
cd "${SLURM_SUBMIT_DIR:-.}"

successor=
if [ "$submission" -lt "$max_resubmits" ]; then
  successor=$(sbatch --parsable --dependency="afternotok:$SLURM_JOB_ID" \
    --export="ALL,SUBMISSION=$((submission + 1))" "$SLURM_SUBMIT_DIR/slurm_random_search.sh")
  echo "queued $successor to resume if this job is cut short (submission $((submission + 1)) of $max_resubmits)"
fi

# srun starts one rank per task; with Slurm's PMI support no mpiexec is needed.
status=0
srun ./random_search --data "$data" --candidates "$candidates" --seed 1 \
  --checkpoint search.journal --report report.csv || status=$?

# The search returned: finished, or failed for a reason a rerun would not fix.
if [ -n "$successor" ]; then scancel "$successor"; fi
exit "$status"
