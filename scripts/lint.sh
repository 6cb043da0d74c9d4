#!/usr/bin/env bash
# Static checks of the C++ sources: bash scripts/lint.sh [--format] [FILE...]
# clang-tidy with the repository's .clang-tidy (defect and needless-copy checks) over the given
# files, or every source under analyzers/, server/ and knowledge/; it reads the Release build's
# compile_commands.json, so build that preset first. With --format, clang-format --dry-run (the
# repository's .clang-format) over the same files instead. Prints each finding; exits 1 if any.
set -euo pipefail
cd "$(dirname "$0")/.."
format=false
if [ "${1:-}" = "--format" ]; then
  format=true
  shift
fi
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(git ls-files 'analyzers/*.cpp' 'server/*.cpp' 'knowledge/*.cpp')
  $format && mapfile -t -O "${#files[@]}" files < <(git ls-files 'analyzers/*.hpp' 'server/*.hpp' 'knowledge/*.hpp')
fi
if $format; then
  clang-format --dry-run -Werror "${files[@]}"
  exit
fi
[ -f build/release/compile_commands.json ] || { echo "lint: build the release preset first" >&2; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# One process per file, as many at once as there are cores; findings only, not the counts.
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 1 clang-tidy -p build/release --quiet 2>/dev/null | tee "$out"
! grep -q ': warning: \|: error: ' "$out"
