#!/usr/bin/env bash
# npm start: serve the production build on PORT (default 3000), building it first when there is
# none or the sources are newer than it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh

bash scripts/build-if-stale.sh

host_args=()
[ -n "${HOST:-}" ] && host_args=(-H "$HOST")
# exec, with no npx in between, so that SIGTERM reaches the server itself.
exec node_modules/.bin/next start -p "${PORT:-3000}" "${host_args[@]}"
