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
set +e
run_node "$out/stdout.txt" "$out/stderr.txt" node_modules/jest/bin/jest.js --ci --runInBand "${args[@]}" \
  --reporters=default --reporters=./scripts/windows/summary-reporter.js
status=$?
set -e
wineserver -w || true
cat "$out/stderr.txt"
node scripts/windows/summary.js "$out/result.json" || status=1
echo "== Wine lane: $(( $(date +%s) - start )) s, jest exit status $status"
exit $status
