#!/usr/bin/env bash
# Installs the Debian 12 packages cadena needs to build, test and benchmark (clang and its
# sanitizer and libFuzzer runtimes for `make test-asan` and `make fuzz`), then the npm packages
# of package-lock.json (the JavaScript the HTML reports inline, and playwright-core for the
# browser test) into node_modules.
# Idempotent: does nothing when every package is already present. Needs root (or sudo) only
# when a Debian package is missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  build-essential cmake pkg-config
  coinor-libclp-dev coinor-libcbc-dev libglpk-dev
  libtomlplusplus-dev nlohmann-json3-dev libfmt-dev libcli11-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev libboost-graph-dev libssl-dev
  python3
  clang libclang-rt-dev
  chromium chromium-driver
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# Node and npm: Debian's unless the machine has them already (another build of Node brings its own npm).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

# npm packages: `npm ci` when node_modules does not hold exactly package-lock.json's versions
# (npm writes its own copy of the lock as node_modules/.package-lock.json; ours is the stamp).
npm_packages() {
  local stamp="$here/node_modules/.cadena-package-lock.json"
  if [ -f "$stamp" ] && cmp -s "$here/package-lock.json" "$stamp"; then return 0; fi
  echo "bootstrap: npm ci (package-lock.json)"
  (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  cp "$here/package-lock.json" "$stamp"
}

if [ ${#missing[@]} -eq 0 ]; then
  npm_packages
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "bootstrap: missing packages (${missing[*]}) and not root; install them and re-run" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
npm_packages
