#!/usr/bin/env bash
# npm test: every test. Installs what the tests need; builds the app that the browser tests open
# (next build also type-checks the whole project, tests included); then runs the unit tests, the
# integration tests (real ffmpeg, real RTSP server) and the end-to-end tests (real Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
# What git sees before anything is installed or built: the run must add nothing to it (a fresh
# clone stays clean, so that a later `git pull` never conflicts on a file the user never touched).
git_status() { git status --porcelain 2>/dev/null | sort; }
status_before=$(git_status)
bash scripts/ensure-deps.sh --for-tests
NEXT_TELEMETRY_DISABLED=1 node_modules/.bin/next build
results=$(mktemp)
status=0
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
# The run's own check: installing, building and testing changed nothing that git tracks or sees.
changed=$(comm -13 <(echo "$status_before") <(git_status))
clean_failures=0
if [ -n "$changed" ]; then
  echo "camdash: FAIL the test run changed what git sees in the clone (it must stay clean):" >&2
  echo "$changed" >&2
  clean_failures=1
  status=1
fi
# The plain closing line that CI reads, whatever the runner prints above it.
node -e 'const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")); const extra = Number(process.argv[2]); console.log(`${r.numPassedTests + 1 - extra} passed, ${r.numFailedTests + extra} failed`)' "$results" "$clean_failures" || status=1
rm -f "$results"
echo "camdash: tests finished in $(( $(date +%s) - started )) s"
exit "$status"
