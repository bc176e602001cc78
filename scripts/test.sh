#!/usr/bin/env bash
# npm test: every test. Installs what the tests need; builds the app that the browser tests open
# (next build also type-checks the whole project, tests included); then runs the unit tests, the
# integration tests (real ffmpeg, real RTSP server) and the end-to-end tests (real Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
bash scripts/ensure-deps.sh --for-tests
node_modules/.bin/next build
node_modules/.bin/vitest run "$@"
echo "camdash: all tests finished in $(( $(date +%s) - started )) s"
