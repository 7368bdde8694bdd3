// Run by test.sh under Wine: prints (to the file argv[2]) the dbghelp.dll the native and ffi
// backends loaded, by path and by the image in memory (lib/backend/wine.ts identifyDll).
'use strict';
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '..', '..');
const out = {};
for (const [name, file, fn] of [
  ['native', 'native', 'loadNative'],
  ['ffi', 'ffi', 'loadFfi'],
]) {
  try {
    const b = require(path.join(root, 'dist', 'backend', file))[fn]();
    out[name] = { path: b.dllPath, image: b.dllImage };
  } catch (e) {
    out[name] = { error: String(e && e.message) };
  }
}
fs.writeFileSync(process.argv[2], JSON.stringify(out));
