#!/usr/bin/env bash
# Installs every Debian package that Tenure's build, tests and benchmarks need.
# Idempotent: when everything is present it only checks and returns.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config dpkg-dev
  clang libclang-rt-14-dev llvm
  libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libfmt-dev libspdlog-dev nlohmann-json3-dev
  libcsv-dev libxlsxwriter-dev
  libnlopt-dev libboost-dev libeigen3-dev libxgboost-dev
  libcpp-httplib-dev libsodium-dev
  hyperfine wrk curl
  nodejs chromium
)

# The web app is built with npm (web/package-lock.json); Node.js packages
# that do not carry it have it in the npm package.
command -v npm > /dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
