#!/usr/bin/env bash
# ctest install_prefix: installs the build into a temporary PREFIX (cmake --install, what
# `make install` runs) and uses the installed cadena from an unrelated folder: it must find its
# data in PREFIX/share/cadena/data, run the baseline with a report, read a fiscal regime, and
# fail with exit 2 and a clear line when its data folder is gone.
#   check_install.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build="$(cd "$1" && pwd)"
source="$(cd "$2" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
fails=0
passes=0
check() {  # check NAME COMMAND...: counts a pass or prints the failure
  local name="$1"; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $name"; fails=$((fails + 1)); fi
}

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; echo "FAIL: cmake --install"; exit 1; }
bin="$prefix/bin/cadena"
check "binary installed" test -x "$bin"
check "data installed" test -f "$prefix/share/cadena/data/lithium-2024/dataset.toml"
check "fiscal regimes installed" test -d "$prefix/share/cadena/data/fiscal"
check "licence installed" test -f "$prefix/share/doc/cadena/LICENSE" -a -f "$prefix/share/doc/cadena/NOTICE"

mkdir -p "$tmp/elsewhere"
cd "$tmp/elsewhere" || exit 1
unset CADENA_DATA_DIR CADENA_DB

"$bin" --version >"$tmp/version.txt" 2>&1
check "--version names the installed data" grep -q "built-in data: $prefix/share/cadena/data (installed)" "$tmp/version.txt"

"$bin" run --quiet --report --out run >"$tmp/run.txt" 2>"$tmp/run.err"
check "cadena run exits 0 from another folder" test $? -eq 0
check "run wrote summary.json" grep -q '"status": "optimal"' run/summary.json
check "run wrote report.html" test -s run/report.html

"$bin" data list >"$tmp/list.txt" 2>&1
check "data list reads the installed data" grep -q "lithium-2024" "$tmp/list.txt"

"$bin" project evaluate "$source/examples/projects/cauchari_olaroz_2017.toml" --paths 0 >"$tmp/project.txt" 2>&1
check "project evaluate finds its fiscal regime in the installed data" test $? -eq 0

CADENA_DATA_DIR="$tmp/no-such-folder" "$bin" data list >"$tmp/missing.txt" 2>"$tmp/missing.err"
check "data list without data exits 2" test $? -eq 2
check "data list without data says so" grep -q "built-in data folder (found through CADENA_DATA_DIR) does not exist" "$tmp/missing.err"

if [ "$fails" -ne 0 ]; then
  for f in version run.err list missing.err project; do echo "--- $f"; cat "$tmp/$f"* 2>/dev/null | head -20; done
fi
echo "install_prefix: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
