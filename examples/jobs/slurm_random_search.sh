#!/bin/bash
# Slurm job: 2 nodes x 12 tasks, the random search over C.
# Adjust the partition, modules and paths for your site (see docs/clusters.md).
#SBATCH --job-name=baton_search
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=12
#SBATCH --time=00:30:00
#SBATCH --output=output.%j.out

module load mpich        # or: intel-mpi, cray-mpich, openmpi — the MPI baton was built with

data=/local/scratch/$USER/studentpor_bigger.csv   # on every node's local disk, same path

# srun starts one rank per task; with Slurm's PMI support no mpiexec is needed.
srun ./random_search --data "$data" --candidates 240 --seed 1 --report report.csv
