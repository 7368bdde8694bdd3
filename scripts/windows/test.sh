#!/usr/bin/env bash
# The Wine lane (`npm run test:windows`): runs the conformance suite (and test/windows) under
# Wine with a Windows node.exe, against the native, ffi and portable backends, then prints per
# backend how many tests ran and how many known differences were listed. Two passes, one per
# dbghelp.dll behind native and ffi:
#   microsoft  Microsoft's dbghelp.dll 10.0.19041.685 (x64) with symsrv.dll and srcsrv.dll, from
#              ../shared/windows/, beside a node.exe of its own, forced with `dbghelp,symsrv,srcsrv=n`
#   wine       Wine's builtin dbghelp.dll (a node.exe with no DLL beside it)
#   scripts/windows/test.sh [jest args...]     (default: test/conformance test/windows)
#   DBGHELP_LANE_DLLS="microsoft wine"         the passes to run (default both; microsoft is
#              left out, with a line saying so, when ../shared/windows has no x64 DLLs)
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
MS_DLLS="${DBGHELP_MS_DLLS:-$ROOT/../shared/windows/dbghelp-10.0.19041.685/$WIN_ARCH}"
read -r -a passes <<<"${DBGHELP_LANE_DLLS:-microsoft wine}"
overall=0
summaries=()
for pass in "${passes[@]}"; do
  pass_start=$(date +%s)
  node_exe="$NODE_EXE"
  overrides="$WINEDLLOVERRIDES"
  case "$pass" in
    microsoft)
      if [ ! -f "$MS_DLLS/dbghelp.dll" ] || [ ! -f "$MS_DLLS/symsrv.dll" ]; then
        echo "== pass microsoft: no Microsoft dbghelp.dll/symsrv.dll in $MS_DLLS; did not run"
        summaries+=("microsoft: did not run (no DLLs in $MS_DLLS)")
        continue
      fi
      # node.exe in a directory of its own with Microsoft's DLLs beside it (the loader looks
      # beside the exe first); without the =n override Wine would still load its builtin.
      msdir="$WINE_HOME/node-$NODE_WIN_VERSION-win-$WIN_ARCH-msdbghelp"
      mkdir -p "$msdir"
      [ -f "$msdir/node.exe" ] && cmp -s "$NODE_EXE" "$msdir/node.exe" || cp "$NODE_EXE" "$msdir/node.exe"
      for dll in dbghelp.dll symsrv.dll srcsrv.dll; do
        [ -f "$MS_DLLS/$dll" ] && cp "$MS_DLLS/$dll" "$msdir/$dll"
      done
      node_exe="$msdir/node.exe"
      overrides="$WINEDLLOVERRIDES;dbghelp,symsrv,srcsrv=n"
      # Whose DLL is mapped is told by the image in memory, not the path: without the override
      # Wine maps its builtin although GetModuleFileNameW names Microsoft's file beside node.exe.
      # (Wine reads the override when a process starts from Unix, so jest cannot show this.)
      probe="$WINE_HOME/dll-identity"
      mkdir -p "$probe"
      for ov in "$WINEDLLOVERRIDES" "$overrides"; do
        rm -f "$probe/out.json"
        WINEDLLOVERRIDES="$ov" bash -c "$(declare -f run_node); NODE_EXE='$node_exe' run_node \"\$@\"" _ "$probe/o.txt" "$probe/e.txt" \
          "$(winpath scripts/windows/dll-identity-probe.js)" "$(winpath "$probe")\\out.json" || true
        want=$([ "$ov" = "$overrides" ] && echo microsoft || echo wine)
        got="$(node -e 'const j=require(process.argv[1]);const ok=["native","ffi"].every(b=>j[b].image&&j[b].image.kind===process.argv[2]&&/msdbghelp\\dbghelp\.dll$/i.test(j[b].path));console.log((ok?"ok":"WRONG")+" "+JSON.stringify(j))' "$probe/out.json" "$want" 2>&1 || true)"
        echo "== dll identity, WINEDLLOVERRIDES=\"$ov\": want $want's image at the path beside node.exe: $got"
        case "$got" in ok*) ;; *) overall=1 ;; esac
      done
      ;;
    wine) ;;
    *) echo "test.sh: unknown pass $pass (microsoft or wine)" >&2; exit 2 ;;
  esac
  out="$WINE_HOME/jest-out-$pass"
  mkdir -p "$out"
  rm -f "$out/result.json"
  echo "== pass $pass: jest under Wine: ${args[*]}"
  # --forceExit: a test that leaves a socket or a load behind must not keep node.exe (and with it
  # the wineserver that `wineserver -w` waits for) alive; the time bound catches a hang inside a test.
  set +e
  WINE_LANE_TIMEOUT="${DBGHELP_WINE_LANE_TIMEOUT:-900}"
  DBGHELP_LANE_DLL="$pass" DBGHELP_LANE_RESULT="$(winpath "$out")\\result.json" WINEDLLOVERRIDES="$overrides" \
    timeout --kill-after=30 "$WINE_LANE_TIMEOUT" bash -c "$(declare -f run_node); NODE_EXE='$node_exe' run_node \"\$@\"" _ \
    "$out/stdout.txt" "$out/stderr.txt" node_modules/jest/bin/jest.js --ci --runInBand --forceExit "${args[@]}" \
    --reporters=default --reporters=./scripts/windows/summary-reporter.js
  status=$?
  set -e
  [ $status -ne 124 ] || echo "Wine lane: jest under Wine did not finish within $WINE_LANE_TIMEOUT s; stopped" >&2
  wineserver -k 2>/dev/null || true   # this lane's private prefix only (WINEPREFIX from env.sh)
  wineserver -w || true
  cat "$out/stderr.txt"
  echo "== pass $pass ($(( $(date +%s) - pass_start )) s): dbghelp.dll = $pass's"
  node scripts/windows/summary.js "$out/result.json" | tee "$out/summary.txt" || status=1
  summaries+=("$pass: $(tail -1 "$out/summary.txt"), $(( $(date +%s) - pass_start )) s")
  [ $status -eq 0 ] || overall=1
done
echo "== Wine lane: $(( $(date +%s) - start )) s, exit status $overall"
for s in "${summaries[@]}"; do echo "   $s"; done
exit $overall
