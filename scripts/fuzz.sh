#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a bounded time, as
# many at once as the machine has cores (each target is one process on one core, so each gets
# the same fuzzing time as it would alone).
# Exits non-zero on a crash, a sanitizer report or a timeout.
#   scripts/fuzz.sh [seconds per target]    (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
BATON_EXTRA_PKGS="clang libclang-rt-14-dev" bash scripts/install-deps.sh
out=build/fuzz
mkdir -p "$out"
flags=(-std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -Iinclude -I/usr/include/x86_64-linux-gnu/mpich)
boost_mpi=/opt/baton-deps/boost-mpi-mpich/lib
targets=(csv_fuzz wire_fuzz pickle_fuzz)

# Builds and runs one target; its output goes to $out/<target>.log, its status to .status.
fuzz_one() {
  local target="$1" status=0
  local libs=(-L/usr/lib/x86_64-linux-gnu -lmpich) defines=()
  # The CSV target reads gzip and zstd input too (inputs starting with their magic bytes).
  # Its node_shared reads encode a dataset's layout with Boost.Serialization's binary archive.
  [ "$target" = csv_fuzz ] && { defines+=(-DBATON_HAVE_ZLIB=1 -DBATON_HAVE_ZSTD=1); libs+=(-lz -lzstd -lboost_serialization); }
  [ "$target" = wire_fuzz ] && libs+=("$boost_mpi/libboost_mpi.so" -Wl,-rpath,"$boost_mpi" -lboost_serialization)  # by path: Debian's Open MPI build of the same name comes first on -L
  # Shares of 16 bytes: the small inputs take read_csv's threaded path too.
  if ! clang++ "${flags[@]}" "${defines[@]}" -DBATON_CSV_MIN_BYTES_PER_THREAD=16 -DBATON_CSV_TYPE_SAMPLE_ROWS=3 \
       "tests/fuzz/$target.cpp" -o "$out/$target" "${libs[@]}" > "$out/$target.log" 2>&1; then
    echo "build" > "$out/$target.status"
    return
  fi
  local corpus="$out/$target-corpus"
  mkdir -p "$corpus"
  cp tests/fuzz/seeds/"${target%_fuzz}"/* "$corpus/" 2>/dev/null || true
  # The wire target initializes MPI, whose libraries keep some memory until exit: the same
  # suppressions as the sanitize preset (MPI libraries only).
  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp" \
    "$out/$target" "$corpus" -max_total_time="$seconds" -timeout=10 -artifact_prefix="$out/$target-" \
    -max_len=4096 -print_final_stats=1 >> "$out/$target.log" 2>&1 || status=$?
  echo "$status" > "$out/$target.status"
}

jobs_at_once="$(nproc)"
echo "===== fuzzing ${targets[*]} for $seconds s each, $jobs_at_once at a time ====="
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_at_once" ]; do wait -n || true; done
  rm -f "$out/$target.status"
  fuzz_one "$target" &
done
wait

failed=0
for target in "${targets[@]}"; do
  echo "===== $target ====="
  status="$(cat "$out/$target.status" 2>/dev/null || echo missing)"
  grep -E "^#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY" "$out/$target.log" || true
  if [ "$status" != 0 ]; then
    tail -40 "$out/$target.log"
    if [ "$status" = build ]; then
      echo "building $target failed" >&2
    else
      echo "fuzzing $target failed (exit $status); the input is in $out/$target-*" >&2
    fi
    failed=1
  fi
done
exit "$failed"
