// Calls each dbghelp.dll function the backends use, one per process, to find Wine's aborting
// stubs (lib/backend/wine.ts lists them). Run under Wine with the lane's node.exe:
//   for f in enumLines getTypeFromName ...; do wine node.exe scripts/windows/probe-stubs.js $f; done
const path = require('path');
const ROOT = path.resolve(__dirname, '..', '..');
const a = require(path.join(ROOT, 'prebuilds', 'win32-x64', 'dbghelp.napi.node'));
class E extends Error {
  constructor(c, m, o) {
    super(m);
    this.code = c;
    this.win32Error = o && o.win32Error;
  }
}
a.setup(E, {});
const B = path.join(ROOT, 'test', 'fixtures', 'bin') + path.sep;
const which = process.argv[2];
(async () => {
  const s = new a.Session(null, 6, 0);
  const b = await s.loadModule(B + 'basic-x64.exe', null, 0x140000000n, 0);
  const calls = {
    getLineNext: () => s.getLineNext(b + 0x1004n),
    getLinePrev: () => s.getLinePrev(b + 0x1010n),
    getLineFromName: () => s.getLineFromName('basic-x64', 'basic.c', 41),
    getLineFromNameNull: () => s.getLineFromName(null, 'basic.c', 41),
    enumLines: () => s.enumLines(b, null, null).length,
    enumSourceFiles: () => s.enumSourceFiles(b, null).length,
    addrIncludeInlineTrace: () => s.addrIncludeInlineTrace(b + 0x1004n),
    queryInlineTrace: () => s.queryInlineTrace(b + 0x1004n, 0, 0n, b + 0x1004n),
    fromInlineContext: () => s.fromInlineContext(b + 0x1004n, 0),
    getLineFromInlineContext: () => s.getLineFromInlineContext(b + 0x1004n, 0, null),
    getTypeInfo: () => s.getTypeInfo(b, 1, 1),
    getTypeInfoChildren: () => s.getTypeInfo(b, 1, 7),
    enumTypes: () => s.enumTypes(b, null).length,
    enumTypesByName: () => s.enumTypes(b, '*').length,
    setContext: () => s.setContext(b + 0x1004n, 0n, 0n, 0n, 0),
    setContextInline: () => s.setContext(b + 0x1004n, 0n, 0n, 0n, 1),
    setScopeFromAddr: () => s.setScopeFromAddr(b + 0x1004n),
    findFileInPath: () => s.findFileInPath(null, 'basic-x64.pdb', { guid: '8C6EB4D7-60FE-3FA6-4C4C-44205044422E' }, 1, 0),
    setHomeDirectory: () => s.setHomeDirectory('C:\\symhome'),
    getHomeDirectory: () => s.getHomeDirectory(0),
    listModules: () => s.listModules(),
    getTypeFromName: () => s.getTypeFromName(b, 'int'),
  };
  for (const [k, f] of Object.entries(calls)) {
    if (which && k !== which) continue;
    try {
      const r = await f();
      console.log(k, 'OK', JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? '0x' + v.toString(16) : v))?.slice(0, 300));
    } catch (e) {
      console.log(k, 'ERR', e.message);
    }
  }
})();
