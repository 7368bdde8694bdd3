#!/usr/bin/env node
// One cold address in a running process, as a library user (a crash reporter, an Electron app)
// meets it: the library is already loaded; the PDB has never been opened. Timed: a new handler,
// SymLoadModuleEx of the image (its PDB found beside it), SymFromAddr and SymGetLineFromAddr64.
// Prints one JSON line: {requireMs, lookupMs, symbol, line}. Run by bench/big.js, a fresh process
// each time (so the PDB and every index are cold; the OS file cache is warm, as for llvm).
//
//   node bench/cold-in-process.js DIST IMAGE ADDRESS
'use strict';
const [dist, image, address] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
const { SymbolHandler } = require(require('path').join(dist, 'handler.js'));
const t1 = process.hrtime.bigint();
(async () => {
  const sym = SymbolHandler.initialize({ searchPath: null });
  await sym.loadModule(image, {});
  const a = BigInt(address);
  const hit = sym.fromAddr(a);
  const line = sym.getLineFromAddr(a);
  const t2 = process.hrtime.bigint();
  sym.cleanup();
  const ms = (d) => Number(d) / 1e6;
  console.log(JSON.stringify({ requireMs: ms(t1 - t0), lookupMs: ms(t2 - t1), symbol: hit?.symbol.name, line: line ? `${line.fileName}:${line.lineNumber}` : undefined }));
})();
