#!/usr/bin/env bash
# Checks that every C++ file under include/, examples/, tests/ and benchmarks/ is formatted as
# .clang-format says (clang-format 14, Debian's). Exits non-zero and lists the places if not.
#   scripts/check-format.sh         check
#   scripts/check-format.sh --fix   reformat in place
set -euo pipefail
cd "$(dirname "$0")/.."
BATON_EXTRA_PKGS="clang-format-14" bash scripts/install-deps.sh
mapfile -t files < <(git ls-files -co --exclude-standard 'include/*' 'examples/*' 'tests/*' 'benchmarks/*' |
  grep -E '\.(hpp|cpp|h)$')
if [ "${1:-}" = --fix ]; then
  clang-format-14 -i "${files[@]}"
  exit 0
fi
echo "===== format: clang-format-14 --dry-run --Werror on ${#files[@]} files ====="
clang-format-14 --dry-run --Werror "${files[@]}"
echo "format: clean"
