#!/usr/bin/env bash
# Makes sure what camdash needs is installed: npm packages, and an ffmpeg.
# With --for-tests, also what the tests need: Debian's Chromium and a GStreamer RTSP server.
# Debian packages are installed with apt-get only when missing, and only when we are root.
set -euo pipefail
cd "$(dirname "$0")/.."

for_tests=false
[ "${1:-}" = "--for-tests" ] && for_tests=true

say() { printf 'camdash setup: %s\n' "$*" >&2; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  say "Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none))."
  exit 1
fi

# npm packages: installed exactly as package-lock.json pins them (`npm ci`), when missing or when
# package.json / package-lock.json changed since. The lock lists every platform's optional
# packages (Next's and Tailwind's native builds), so a clone stays unchanged by installing.
deps_stamp() { cat package.json package-lock.json | sha256sum | cut -d' ' -f1; }
stamp_file=node_modules/.camdash-deps-stamp
if [ ! -f "$stamp_file" ] || [ "$(cat "$stamp_file")" != "$(deps_stamp)" ]; then
  # better-sqlite3 (the event store) is compiled by npm ci where its prebuilt binary cannot be
  # downloaded: node-gyp needs python3, make and a C++ compiler, and Node's headers, which are
  # looked for beside this Node when npm has no nodedir, so that node-gyp downloads none.
  build_debs=()
  command -v python3 >/dev/null 2>&1 || build_debs+=(python3)
  command -v make >/dev/null 2>&1 || build_debs+=(make)
  command -v g++ >/dev/null 2>&1 || build_debs+=(g++)
  if [ "${#build_debs[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing Debian packages to build better-sqlite3: ${build_debs[*]}"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${build_debs[@]}" >/dev/null
    else
      say "missing what builds better-sqlite3: ${build_debs[*]} (sudo apt-get install ${build_debs[*]})"
      exit 1
    fi
  fi
  node_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
  npm_nodedir=${npm_config_nodedir:-$(npm config get nodedir 2>/dev/null || true)}
  if [ ! -f "$npm_nodedir/include/node/common.gypi" ] && [ -f "$node_prefix/include/node/common.gypi" ]; then
    export npm_config_nodedir="$node_prefix"
  fi
  say "installing npm packages (npm ci)"
  # ffmpeg-static is optional: where its download cannot reach the internet npm drops it, and
  # the ffmpeg on PATH is used instead.
  npm ci --no-audit --no-fund
  deps_stamp > "$stamp_file"
fi

# The native probe that paces live streams by the viewer's link (optional: without it camdash
# runs, and its start-up log says that slow links are not paced). Rebuilt when its source changes.
native_dir=native/tcp-send-queue
native_stamp="$native_dir/build/.camdash-source-stamp"
native_source_stamp() { cat "$native_dir/binding.gyp" "$native_dir/tcp_send_queue.c" | sha256sum | cut -d' ' -f1; }
if [ ! -f "$native_stamp" ] || [ "$(cat "$native_stamp")" != "$(native_source_stamp)" ]; then
  if bash "$native_dir/build.sh" >/dev/null 2>"$native_dir/.build-error"; then
    native_source_stamp > "$native_stamp"
    rm -f "$native_dir/.build-error"
    say "built $native_dir (pacing live streams by the viewer's link)"
  else
    say "could not build $native_dir, so slow links are not paced: $(tail -n 3 "$native_dir/.build-error" | tr '\n' ' ')"
  fi
fi

missing_debs=()
deb_missing() { ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

has_ffmpeg() {
  [ -n "${FFMPEG_BIN:-}" ] && return 0
  node -e 'const p=require("ffmpeg-static"); require("fs").accessSync(p, require("fs").constants.X_OK)' 2>/dev/null && return 0
  command -v ffmpeg >/dev/null 2>&1
}
has_ffmpeg || missing_debs+=(ffmpeg)

if $for_tests; then
  # The tests run the system ffmpeg too, so they see the same ffmpeg a Debian user installs.
  command -v ffmpeg >/dev/null 2>&1 || [[ " ${missing_debs[*]} " == *" ffmpeg "* ]] || missing_debs+=(ffmpeg)
  for deb in chromium fonts-dejavu-core python3-gi gir1.2-gst-rtsp-server-1.0 \
    gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad; do
    deb_missing "$deb" && missing_debs+=("$deb")
  done
  # The slow-link test shapes loopback in a network namespace of its own (tc, ip).
  command -v tc >/dev/null 2>&1 || missing_debs+=(iproute2)
fi

if [ "${#missing_debs[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian packages: ${missing_debs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >/dev/null
  else
    say "missing: ${missing_debs[*]}"
    say "install them with: sudo apt-get install ${missing_debs[*]}"
    say "(for ffmpeg you may instead set FFMPEG_BIN=/path/to/ffmpeg, or npm install ffmpeg-static where it can download)"
    exit 1
  fi
fi
