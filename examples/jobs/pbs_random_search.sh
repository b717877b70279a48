#!/bin/tcsh
# PBS job in the tutorial's style: 2 nodes x 12 processes, the random search over C.
# Change the queue/node properties, the module names and the two paths for your site
# (docs/clusters.md says what each line does).
#PBS -N baton_search
#PBS -l nodes=2:vortex:ppn=12
#PBS -l walltime=00:30:00
#PBS -j oe

module load mvapich2-ib
# module load boost   # if your site's Boost.MPI is a module; built against the SAME MPI

cd $PBS_O_WORKDIR
# The data file must exist on every node's local disk (or a shared file system) at this path.
set data = /local/scratch/$USER/studentpor_bigger.csv

# MVAPICH2 sites often provide mvp2run; elsewhere use the MPI's own launcher.
mvp2run ./random_search --data $data --candidates 240 --seed 1 --report report.csv >& output.out
# mpiexec -n 24 ./random_search --data $data --candidates 240 --seed 1 --report report.csv >& output.out
