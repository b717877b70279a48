"""A stand-in for mpi4py on MPICH, for baton's tests of Python peers (see MPI.py)."""
