#!/usr/bin/env bash
# One bounded fuzzing run: FUZZER RUNS SEED_DIR... (new inputs go to a scratch folder, never to the
# seeds). Crashes are left as FUZZER-crash-* beside the binary; make each one a regression test.
set -euo pipefail
fuzzer=$1 runs=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seeds=()
for dir in "$@"; do [ -d "$dir" ] && seeds+=("$dir"); done
exec "$fuzzer" -runs="$runs" -seed=1 -max_len=4096 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$(dirname "$fuzzer")/$(basename "$fuzzer")-" "$work" "${seeds[@]}"
