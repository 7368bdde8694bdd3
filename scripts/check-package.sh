#!/usr/bin/env bash
# The package as a user gets it (issue 10, item 5): `npm pack`, install the tarball into a fresh
# project, then use it from CommonJS, from an ES module, from TypeScript (`tsc --strict`,
# `module nodenext`, both an .mts and a .cts file) and as `npx dbghelp --version`. Also checks
# that no source map ships and, when the registry answers, arethetypeswrong and publint.
# Usage: bash scripts/check-package.sh   (prints each step; exits non-zero at the first failure)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/dbghelp-pack.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
TARBALL="$WORK/$(npm pack --silent --pack-destination "$WORK" | tail -1)"
echo "packed: $TARBALL"
LIST="$(tar -tzf "$TARBALL")"
if grep -E '\.map$' <<<"$LIST"; then echo "FAIL: source maps in the package" >&2; exit 1; fi
for f in package/LICENSE package/docs/API.md package/README.md package/dist/index.d.mts; do
  grep -qx "$f" <<<"$LIST" || { echo "FAIL: $f missing from the package" >&2; exit 1; }
done
APP="$WORK/app"
mkdir -p "$APP" && cd "$APP"
npm init -y >/dev/null
npm install --no-audit --no-fund --prefer-offline "$TARBALL" "typescript@$(node -p "require('$ROOT/node_modules/typescript/package.json').version")" "@types/node@$(node -p "require('$ROOT/node_modules/@types/node/package.json').version")" >/dev/null
IMG="$ROOT/examples/shapes-x64.exe"
cat > cjs.cjs <<JS
const { SymbolHandler, backend } = require('dbghelp');
(async () => {
  const sym = SymbolHandler.initialize({ searchPath: null });
  try {
    const base = await sym.loadModule(${IMG@Q});
    console.log('cjs', backend, sym.fromAddr(base + 0x1000n).symbol.name);
  } finally { sym.cleanup(); }
})();
JS
cat > esm.mjs <<JS
import { SymbolHandler } from 'dbghelp';
import dbghelp from 'dbghelp';
const sym = SymbolHandler.initialize({ searchPath: null });
try {
  const base = await sym.loadModule(${IMG@Q});
  console.log('esm', dbghelp.SymbolHandler === SymbolHandler, sym.fromAddr(base + 0x1000n).symbol.name);
} finally { sym.cleanup(); }
JS
OUT="$(node cjs.cjs)"; echo "$OUT"; grep -q 'geometry::scale' <<<"$OUT"
OUT="$(node esm.mjs)"; echo "$OUT"; grep -q 'esm true geometry::scale' <<<"$OUT"
cat > use.mts <<'TS'
import { SymbolHandler, symbolicate, type ModuleStatus, type SymbolicationResponse } from 'dbghelp';
export async function f(p: string): Promise<[string | undefined, ModuleStatus | undefined]> {
  const sym = SymbolHandler.initialize({ searchPath: null });
  try {
    const r = await sym.tryLoadModule(p);
    const hit = r.base === undefined ? undefined : sym.fromAddr(r.base);
    return [hit?.symbol.name, r.status];
  } finally {
    sym.cleanup();
  }
}
export const g = (): Promise<SymbolicationResponse> => symbolicate({ jobs: [] });
TS
cat > use.cts <<'TS'
import dbghelp = require('dbghelp');
export const h = (): dbghelp.SymbolHandler => dbghelp.SymbolHandler.initialize();
TS
npx tsc --strict --module nodenext --moduleResolution nodenext --target es2022 --noEmit --skipLibCheck false use.mts use.cts
echo "tsc --strict --module nodenext: ok"
OUT="$(npx dbghelp --version)"; echo "$OUT"; [ "$OUT" = "$(node -p "require('$ROOT/package.json').version")" ]
echo "npx dbghelp --version: ok"
cd "$WORK"
if npm exec --yes --package=@arethetypeswrong/cli@0.18 -- attw "$TARBALL" >"$WORK/attw.txt" 2>&1; then echo "attw: no problems"; else
  if grep -q 'problems' "$WORK/attw.txt" 2>/dev/null; then cat "$WORK/attw.txt"; exit 1; fi; echo "attw: not run (registry?)"; fi
if npm exec --yes --package=publint@0.3 -- publint "$ROOT" >"$WORK/publint.txt" 2>&1; then grep -E 'Errors|Warnings|All good|Suggestions' "$WORK/publint.txt" || true; cat "$WORK/publint.txt" | tail -5; else cat "$WORK/publint.txt"; exit 1; fi
echo "package: ok"
