#!/usr/bin/env bash
# Runs every benchmark program at the sizes docs/benchmarks.md reports (the 100k-facility chain
# and GLPK at 10k+ take minutes: run them by hand, see docs/benchmarks.md). Numbers go into
# docs/benchmarks.md by hand, with the machine described.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
b="$build/bench"
echo "== supply-chain LP";   "$b/bench_chain" --builtin; "$b/bench_chain" --facilities 1000
"$b/bench_chain" --facilities 10000 --no-glpk
echo "== project Monte Carlo"; "$b/bench_finance" 2000000 1 2
echo "== results store";     "$b/bench_store"
echo "== io layer";          "$b/bench_io"
echo "== ultimate pit";      bash "$here/bench/pit_bench.sh" "$build"
