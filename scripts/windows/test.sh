#!/usr/bin/env bash
# The Wine lane (`npm run test:windows`): runs the conformance suite (and test/windows) under
# Wine with a Windows node.exe, against the native, ffi and portable backends, then prints per
# backend how many tests ran and how many known differences were listed.
#   scripts/windows/test.sh [jest args...]     (default: test/conformance test/windows)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
start=$(date +%s)

"$ROOT/scripts/windows/setup.sh"
"$ROOT/scripts/windows/build-addon.sh" x64
echo "== npm run build (dist/, for the loader tests)"
npm run --silent build >/dev/null

args=("$@")
[ ${#args[@]} -gt 0 ] || args=(test/conformance test/windows)
out="$WINE_HOME/jest-out"
mkdir -p "$out"
rm -f "$out/result.json"
export DBGHELP_LANE_RESULT="$(winpath "$out")\\result.json"
echo "== jest under Wine: ${args[*]}"
# --forceExit: a test that leaves a socket or a load behind must not keep node.exe (and with it
# the wineserver that `wineserver -w` waits for) alive; the time bound catches a hang inside a test.
set +e
WINE_LANE_TIMEOUT="${DBGHELP_WINE_LANE_TIMEOUT:-900}"
timeout --kill-after=30 "$WINE_LANE_TIMEOUT" bash -c "$(declare -f run_node); NODE_EXE='$NODE_EXE' run_node \"\$@\"" _ \
  "$out/stdout.txt" "$out/stderr.txt" node_modules/jest/bin/jest.js --ci --runInBand --forceExit "${args[@]}" \
  --reporters=default --reporters=./scripts/windows/summary-reporter.js
status=$?
set -e
[ $status -ne 124 ] || echo "Wine lane: jest under Wine did not finish within $WINE_LANE_TIMEOUT s; stopped" >&2
wineserver -k 2>/dev/null || true   # this lane's private prefix only (WINEPREFIX from env.sh)
wineserver -w || true
cat "$out/stderr.txt"
node scripts/windows/summary.js "$out/result.json" || status=1
echo "== Wine lane: $(( $(date +%s) - start )) s, jest exit status $status"
exit $status
