#!/usr/bin/env bash
# Builds the web app into OUT: npm packages from the lockfile (again only
# when the lockfile changed), a type check, Vite's build, and a gzip copy of
# each text asset for browsers that take it (the server sends those).
#   web/build.sh OUT
set -euo pipefail
out=$1
cd "$(dirname "$0")"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npx tsc --noEmit
npx vite build --outDir "$out" --emptyOutDir --logLevel warn
find "$out" -type f \( -name '*.js' -o -name '*.css' -o -name '*.svg' \) \
  -exec gzip -kn9f {} \;
touch "$out/index.html"
