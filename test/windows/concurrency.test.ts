/**
 * DbgHelp is single-threaded; the native addon runs SymLoadModuleExW on a worker thread behind
 * one lock while the JS thread keeps calling. Many lookups while loads run must neither
 * deadlock nor see a half-made state. Runs where the native backend loads (the Wine lane).
 */
import * as path from 'path';
import { loadBackend } from '../conformance/backends';

const bin = (f: string) => path.resolve(__dirname, '..', 'fixtures', 'bin', f);
const loaded = loadBackend('native');

if ('error' in loaded) {
  test(`native backend not available on ${process.platform}: nothing to race (the Wine lane runs this)`, () => {
    expect(loaded.error).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  });
} else {
  const { SymbolHandler } = loaded.lib;
  test('lookups on the JS thread while several loads run on workers: every answer right, every load resolved', async () => {
    const sym = SymbolHandler.initialize();
    const other = SymbolHandler.initialize();
    try {
      const basic = await sym.loadModule(bin('basic-x64.exe'));
      const want = sym.fromAddr(basic + 0x1000n)!.symbol.name;
      expect(want).toBe('chain_c');
      const images = ['cppfeatures-x64.exe', 'exports-x64.dll', 'basic-arm64.exe', 'cppfeatures-arm64.exe', 'exports-arm64.dll'];
      const bases = images.map((_, i) => 0x200000000n + BigInt(i) * 0x1000000n);
      let settled = 0;
      const loads = images.map((img, i) =>
        sym.loadModule(bin(img), { baseAddress: bases[i] }).then((b) => {
          settled++;
          return b;
        }),
      );
      // A second handler loads at the same time: its own fake process handle, same lock.
      const otherLoad = other.loadModule(bin('cppfeatures-x64.exe'));
      let lookups = 0;
      while (settled < images.length) {
        for (let i = 0; i < 200; i++) {
          expect(sym.fromAddr(basic + 0x1000n)!.symbol.name).toBe(want);
          expect(sym.fromName('basic-x64!chain_c')!.address).toBe(basic + 0x1000n);
          lookups++;
        }
        await new Promise((r) => setImmediate(r));
      }
      expect(await Promise.all(loads)).toEqual(bases);
      expect(lookups).toBeGreaterThan(0);
      expect(sym.fromAddr(bases[0] + 0x1000n)!.symbol.name).toBe('geometry::scale');
      expect(await otherLoad).toBe(0x140000000n);
      expect(other.fromAddr(0x140001000n)!.symbol.name).toBe('geometry::scale');
      // Each handle kept its own modules.
      expect(other.getModuleInfo(bases[0])).toBeUndefined();
    } finally {
      sym.cleanup();
      other.cleanup();
    }
  });

  test('cleanup while a load is in flight: the load settles (done before, or INVALID_HANDLE after), nothing hangs', async () => {
    const sym = SymbolHandler.initialize();
    const p = sym.loadModule(bin('cppfeatures-x64.exe'));
    sym.cleanup();
    // The worker may take the lock before or after cleanup: both are legal, a hang is not.
    const r = await p.then(
      (b) => b,
      (e: { code: string }) => e.code,
    );
    expect([0x140000000n, 'INVALID_HANDLE']).toContain(r);
    expect(() => sym.fromAddr(0x140001000n)).toThrow(expect.objectContaining({ code: 'INVALID_HANDLE' }));
  });
}
