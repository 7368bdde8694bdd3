// One process of the eight-process test: loads the image through the given search path once the
// parent says "go" on stdin, then prints one JSON line with what it got.
//   node load-child.js <libDir> <searchPath> <image> <homeDir> <symbol>
'use strict';
const [libDir, searchPath, image, home, symbol] = process.argv.slice(2);
const lib = require(`${libDir}/index.js`);
const http = require(`${libDir}/symsrv/http/index.js`);
http.setHttpStoreDefaults({ idleTimeoutMs: 5000, retries: 1, retryBaseMs: 20 });

process.stdout.write('ready\n');
process.stdin.once('data', async () => {
  const started = Date.now();
  const sym = lib.SymbolHandler.initialize({ searchPath });
  const lines = [];
  try {
    sym.setOptions(sym.getOptions() | lib.SymOpt.DEBUG);
    sym.setHomeDirectory(home);
    sym.on('debug', (l) => lines.push(l));
    const base = await sym.loadModule(image);
    const info = sym.getModuleInfo(base);
    const found = sym.fromName(symbol);
    process.stdout.write(
      JSON.stringify({
        pid: process.pid,
        started,
        ended: Date.now(),
        symType: info.symType,
        pdb: info.loadedPdbName,
        symbol: found ? { name: found.name, address: found.address.toString(16) } : null,
        lines,
      }) + '\n',
    );
  } catch (e) {
    process.stdout.write(JSON.stringify({ pid: process.pid, error: String((e && e.stack) || e), lines }) + '\n');
  } finally {
    sym.cleanup();
    http.closeSharedAgents();
    process.stdin.destroy();
  }
});
