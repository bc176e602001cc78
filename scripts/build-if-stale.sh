#!/usr/bin/env bash
# Builds the production app when there is no build or the sources are newer than it.
set -euo pipefail
cd "$(dirname "$0")/.."
stale=$(find app lib components proxy.ts instrumentation.ts next.config.mjs package-lock.json -newer .next/BUILD_ID 2>/dev/null | head -1 || true)
if [ ! -f .next/BUILD_ID ] || [ -n "$stale" ]; then
  echo "camdash: building (next build)" >&2
  NEXT_TELEMETRY_DISABLED=1 node_modules/.bin/next build
fi
