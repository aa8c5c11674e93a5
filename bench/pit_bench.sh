#!/usr/bin/env bash
# Runs bench_pit on bauxitemed (../shared/data/pit) and on the 2,048,000-block synthetic model,
# generated into BUILD_DIR/tmp (never committed). Usage: bench/pit_bench.sh [BUILD_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
shared="$(cd "$here/.." && pwd)/shared"
mkdir -p "$build/tmp"
syn="$build/tmp/syn160.dat"
if [ ! -s "$syn" ]; then
  python3 "$shared/tools/gen_blocks.py" 160 160 80 7 > "$syn.part" && mv "$syn.part" "$syn"
fi
lscpu | grep -E "Model name|^CPU\(s\)"
uptime
CADENA_PIT_DATA_DIR="${CADENA_PIT_DATA_DIR:-$shared/data/pit}" CADENA_SYN160="$syn" "$build/bench/bench_pit"
