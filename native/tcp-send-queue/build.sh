#!/usr/bin/env bash
# Builds the module with the node-gyp that ships with npm, against the installed Node's headers
# (npm's nodedir), so that no download is needed. Exits non-zero when it cannot: camdash then runs
# without it, and says so in its start-up log.
set -euo pipefail
cd "$(dirname "$0")"
[ "$(uname -s)" = Linux ] || { echo "not Linux: slow-link pacing is Linux only" >&2; exit 1; }
npm_cli=$(readlink -f "$(command -v npm)")
node_gyp="$(dirname "$npm_cli")/../node_modules/node-gyp/bin/node-gyp.js"
[ -f "$node_gyp" ] || { echo "npm's node-gyp not found (looked for $node_gyp)" >&2; exit 1; }
# npm's nodedir if set, else the prefix of this Node, if its headers are there.
args=(rebuild --loglevel=warn)
for nodedir in "${npm_config_nodedir:-}" "$(npm config get nodedir 2>/dev/null || true)" "$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"; do
  if [ -n "$nodedir" ] && [ -f "$nodedir/include/node/node_api.h" ]; then
    args+=("--nodedir=$nodedir")
    break
  fi
done
node "$node_gyp" "${args[@]}"
