#!/usr/bin/env bash
# Long fuzzing runs (issue 10): bash scripts/fuzz.sh [SECONDS_PER_FUZZER] [FUZZER...]
# Builds the `fuzz` preset (clang, libFuzzer, ASan+UBSan), then runs each fuzzer for the given
# time (default 600 s) with seeds from the tests and from ../shared/corpora when present. The
# corpus each run grows is kept in build/fuzz/corpus/NAME for the next run; crashes land in
# build/fuzz/crashes/ and each one should become a regression test. Prints executions per fuzzer.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
fuzzers=("$@")
[ ${#fuzzers[@]} -gt 0 ] || fuzzers=(fuzz_transport fuzz_c_document fuzz_python_document fuzz_edits)
[ -f build/fuzz/CMakeCache.txt ] || cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
corpora=../shared/corpora
mkdir -p build/fuzz/crashes build/fuzz/seeds
# Seeds from code nobody here wrote: a fixed sample, each file cut to the fuzzers' input size.
if [ -d "$corpora" ] && [ ! -d build/fuzz/seeds/c ]; then
  mkdir -p build/fuzz/seeds/c build/fuzz/seeds/python
  find "$corpora/real-c" "$corpora/juliet/testcases" -name '*.c' 2>/dev/null | sort | awk 'NR % 25 == 0' |
    while read -r f; do head -c 8192 "$f" > "build/fuzz/seeds/c/$(echo "$f" | md5sum | cut -c1-12).c"; done
  find "$corpora/real-python" -name '*.py' 2>/dev/null | sort | awk 'NR % 5 == 0' |
    while read -r f; do head -c 8192 "$f" > "build/fuzz/seeds/python/$(echo "$f" | md5sum | cut -c1-12).py"; done
fi
for name in "${fuzzers[@]}"; do
  case $name in
    fuzz_transport) seeds=(tests/fuzz/seeds/transport) ;;
    fuzz_c_document) seeds=(examples tests/corpus/c build/fuzz/seeds/c) ;;
    fuzz_python_document) seeds=(examples tests/oracle/programs build/fuzz/seeds/python) ;;
    fuzz_edits) seeds=(tests/fuzz/seeds/edits) ;;
    *) echo "unknown fuzzer $name" >&2; exit 2 ;;
  esac
  existing=()
  for dir in "${seeds[@]}"; do [ -d "$dir" ] && existing+=("$dir"); done
  mkdir -p "build/fuzz/corpus/$name"
  echo "== $name for ${seconds}s"
  status=0
  "build/fuzz/tests/fuzz/$name" -max_total_time="$seconds" -max_len=8192 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="build/fuzz/crashes/$name-" "build/fuzz/corpus/$name" "${existing[@]}" \
    > "build/fuzz/$name.log" 2>&1 || status=$?
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "build/fuzz/$name.log" || true
  if [ $status -ne 0 ]; then
    echo "$name FAILED (exit $status); see build/fuzz/$name.log and build/fuzz/crashes/"
    grep -E "ERROR|SUMMARY|fuzz_" "build/fuzz/$name.log" | head -5
  fi
done
