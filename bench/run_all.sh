#!/usr/bin/env bash
# Runs every benchmark program in BUILD_DIR/bench. Results go to docs/benchmarks.md by hand,
# with the machine described.
set -euo pipefail
build="${1:-build}"
for b in "$build"/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "== $b"; "$b"
done
