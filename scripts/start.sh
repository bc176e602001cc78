#!/usr/bin/env bash
# npm start: serve the production build on PORT (default 3000), building it first when there is
# none or the sources are newer than it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh

stale=$(find app lib components instrumentation.ts next.config.mjs package-lock.json -newer .next/BUILD_ID 2>/dev/null | head -1 || true)
if [ ! -f .next/BUILD_ID ] || [ -n "$stale" ]; then
  echo "camdash: building (next build)" >&2
  node_modules/.bin/next build
fi

host_args=()
[ -n "${HOST:-}" ] && host_args=(-H "$HOST")
# exec, with no npx in between, so that SIGTERM reaches the server itself.
exec node_modules/.bin/next start -p "${PORT:-3000}" "${host_args[@]}"
