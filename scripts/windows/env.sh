# Shared settings for the Wine lane (sourced by the scripts in scripts/windows/).
#
# Everything the lane downloads or creates lives under DBGHELP_WINE_HOME (default
# ~/.cache/dbghelp-wine), never in ~/.wine: a private prefix, node.exe, koffi's win32 binary.
# Facts behind each setting: docs in ARCHITECTURE.md, "Windows backends".

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WINE_HOME="${DBGHELP_WINE_HOME:-$HOME/.cache/dbghelp-wine}"
NODE_WIN_VERSION="${DBGHELP_NODE_WIN_VERSION:-22.22.2}"   # node 24 crashes under Wine 8.0
WIN_ARCH="${DBGHELP_WIN_ARCH:-x64}"

export WINEPREFIX="$WINE_HOME/prefix-$WIN_ARCH"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="mscoree,mshtml="
NODE_EXE="$WINE_HOME/node-$NODE_WIN_VERSION-win-$WIN_ARCH/node.exe"

# koffi's win32 binary must be the same version as the installed koffi.
koffi_version() { node -p "require('$ROOT/node_modules/koffi/package.json').version"; }

# A Unix path as Wine's Z: drive sees it.
winpath() { printf 'Z:%s' "$(realpath "$1" | sed 's#/#\\#g')"; }

# node.exe under Wine cannot write to a Unix pipe (EBADF): always redirect its stdio to files.
# run_node OUT ERR args...  -> exit status of node.exe
run_node() {
  local out="$1" err="$2"
  shift 2
  wine "$NODE_EXE" "$@" </dev/null >"$out" 2>"$err"
}
