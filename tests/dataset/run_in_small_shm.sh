#!/bin/sh
# Runs a command in a mount namespace of its own whose /dev/shm is a tmpfs of SIZE, as in
# containers and Slurm jobs with a private, small /dev/shm. Needs root (unshare -m, mount);
# exits 77 (skipped) where they are refused.
#     run_in_small_shm.sh SIZE COMMAND...
size=$1
shift
if ! unshare -m true 2>/dev/null; then
    echo "run_in_small_shm: unshare -m is refused here (not root?): skipped"
    exit 77
fi
exec unshare -m sh -c 'mount -t tmpfs -o size="$0" tmpfs /dev/shm || exit 77; exec "$@"' "$size" "$@"
