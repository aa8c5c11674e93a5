#!/usr/bin/env bash
# Long fuzzing runs (docs/reliability.md, "Fuzzing"), one target after the other at the lowest CPU
# priority (NICE=0 on a machine given to it; TIMEOUT=seconds per input, default 60: a starved
# process at nice 19 can take 10 s on an input that runs in milliseconds):
#            scripts/fuzz.sh BUILD_DIR RUNS TARGET...
#   e.g.     scripts/fuzz.sh build-asan 10000000 minelib block_csv
# BUILD_DIR is a CADENA_FUZZ=ON build (make test-asan configures build-asan). Each target starts
# from its corpus fuzz/corpus/<target>, writes new inputs to BUILD_DIR/fuzz/found/<target>, and
# prints the executions done, the time and the executions per second. A crash, leak or timeout
# stops the run with libFuzzer's report and a reproducer file crash-*/leak-*/timeout-* in the
# current folder: add it to fuzz/corpus/<target>/ once fixed. Afterwards
#   BUILD_DIR/fuzz/fuzz_<target> -merge=1 fuzz/corpus/<target> BUILD_DIR/fuzz/found/<target>
# adds the inputs that reach new code to the corpus (keep it to small files).
set -euo pipefail
build="$1"; runs="$2"; shift 2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for t in "$@"; do
  cmake --build "$build" --target "fuzz_$t" -j "${JOBS:-2}" >/dev/null
  found="$build/fuzz/found/$t"
  mkdir -p "$found"
  start=$(date +%s)
  log="$build/fuzz/fuzz_$t.log"
  # Short malloc stacks and a small quarantine: 2-3x the executions per second, the same checks.
  ASAN_OPTIONS="${ASAN_OPTIONS:-malloc_context_size=2:quarantine_size_mb=16}" \
  nice -n "${NICE:-19}" "$build/fuzz/fuzz_$t" -runs="$runs" -max_len=4096 -timeout="${TIMEOUT:-60}" -rss_limit_mb=2048 \
    -print_final_stats=1 "$found" "$here/fuzz/corpus/$t" >"$log" 2>&1 || { tail -40 "$log"; exit 1; }
  secs=$(( $(date +%s) - start ))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz_$t: $execs executions in ${secs} s ($(( ${execs:-0} / (secs > 0 ? secs : 1) )) /s), no crash, leak or timeout"
done
