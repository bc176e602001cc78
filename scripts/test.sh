#!/usr/bin/env bash
# npm test: every test. Installs what the tests need; builds the app that the browser tests open
# (next build also type-checks the whole project, tests included); then runs the unit tests, the
# integration tests (real ffmpeg, real RTSP server) and the end-to-end tests (real Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
bash scripts/ensure-deps.sh --for-tests
node_modules/.bin/next build
results=$(mktemp)
status=0
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
# The plain closing line that CI reads, whatever the runner prints above it.
node -e 'const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$results" || status=1
rm -f "$results"
echo "camdash: tests finished in $(( $(date +%s) - started )) s"
exit "$status"
