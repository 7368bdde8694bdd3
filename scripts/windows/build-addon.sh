#!/usr/bin/env bash
# Cross-compiles the addon for Windows with mingw-w64 through cmake-js and writes it where
# node-gyp-build looks, in prebuildify's layout: prebuilds/win32-<arch>/dbghelp.napi.node.
#   scripts/windows/build-addon.sh [x64|ia32 ...]     (default: x64 ia32)
# Then checks that the DLL imports only dbghelp.dll, KERNEL32.dll, msvcrt.dll and NODE.EXE.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(x64 ia32)

for arch in "${arches[@]}"; do
  case "$arch" in
    x64) triple=x86_64 ;;
    ia32) triple=i686 ;;
    *) echo "build-addon: no mingw-w64 toolchain for win32-$arch (Debian's mingw-w64 targets x64 and ia32)" >&2; exit 2 ;;
  esac
  command -v "$triple-w64-mingw32-g++-posix" >/dev/null || { echo "build-addon: install mingw-w64 (apt-get install -y mingw-w64 cmake ninja-build)" >&2; exit 2; }
  out="build/win32-$arch"
  echo "== win32-$arch"
  mkdir -p "$out"
  if ! npx --no-install cmake-js build --out "$out" --arch "$arch" -G Ninja \
    --CDCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/mingw-w64-$triple.cmake" --CDCMAKE_BUILD_TYPE=Release >"$out/cmake-js.log" 2>&1; then
    cat "$out/cmake-js.log" >&2
    echo "build-addon: cmake-js failed for win32-$arch (log above)" >&2
    exit 1
  fi
  dest="prebuilds/win32-$arch"
  mkdir -p "$dest"
  cp "$out/Release/dbghelp.node" "$dest/dbghelp.napi.node"
  imports="$("$triple-w64-mingw32-objdump" -p "$dest/dbghelp.napi.node" | sed -n 's/^\s*DLL Name: //p' | sort -f | tr '\n' ' ')"
  echo "   $dest/dbghelp.napi.node ($(stat -c %s "$dest/dbghelp.napi.node") bytes) imports: $imports"
  for dll in $imports; do
    case "$(echo "$dll" | tr a-z A-Z)" in
      DBGHELP.DLL | KERNEL32.DLL | MSVCRT.DLL | NODE.EXE) ;;
      *) echo "build-addon: unexpected import $dll" >&2; exit 1 ;;
    esac
  done
done
