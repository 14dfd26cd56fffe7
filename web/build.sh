#!/usr/bin/env bash
# Builds the web app into OUT: npm packages from the lockfile (again only
# when the lockfile changed), the API client's types generated from the
# server's OpenAPI document (`TENURE openapi` into src/api/schema.d.ts, so a
# field the API renames fails the type check), a type check, Vite's build,
# and a gzip copy of each text asset for browsers that take it (the server
# sends those).
#   web/build.sh OUT TENURE
set -euo pipefail
out=$1
tenure=$2
cd "$(dirname "$0")"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# The client's types, from the document of the `tenure` just built.
doc=$(mktemp --suffix=.json)
trap 'rm -f "$doc"' EXIT
"$tenure" openapi > "$doc"
npx openapi-typescript "$doc" --output src/api/schema.d.ts
npx tsc --noEmit
npx vite build --outDir "$out" --emptyOutDir --logLevel warn
find "$out" -type f \( -name '*.js' -o -name '*.css' -o -name '*.svg' \) \
  -exec gzip -kn9f {} \;
touch "$out/index.html"
