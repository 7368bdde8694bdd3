/**
 * SymInitialize's options on every backend: invadeProcess is only for the native backend (a
 * live Windows process); the others refuse it with a message that says so.
 */
import { BACKENDS, KNOWN_GAPS, loadBackend, type BackendName } from './backends';

describe.each(BACKENDS)('%s backend', (name: BackendName) => {
  const loaded = loadBackend(name);
  if ('error' in loaded) {
    test(`is not available on ${process.platform} (see symbols.test.ts for the load error)`, () => {
      expect(loaded.error).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    });
    return;
  }
  const { SymbolHandler } = loaded.lib;
  const gaps = KNOWN_GAPS[name];
  const t = (title: string, fn: () => Promise<unknown>) => (gaps[title] ? test.failing(`${title} [known gap: ${gaps[title]}]`, fn) : test(title, fn));

  t('enumModules lists loaded modules by base, and nothing before a load', async () => {
    const sym = SymbolHandler.initialize();
    try {
      expect(sym.enumModules()).toEqual([]);
      const path = require('path') as typeof import('path');
      const bin = (f: string) => path.resolve(__dirname, '..', 'fixtures', 'bin', f);
      const b2 = await sym.loadModule(bin('basic-x64.exe'), { baseAddress: 0x180000000n });
      const b1 = await sym.loadModule(bin('cppfeatures-x64.exe'), { baseAddress: 0x140000000n });
      expect(sym.enumModules().map((m) => [m.baseOfImage, m.moduleName])).toEqual([
        [b1, 'cppfeatures-x64'],
        [b2, 'basic-x64'],
      ]);
      sym.unloadModule(b1);
      expect(sym.enumModules().map((m) => m.baseOfImage)).toEqual([b2]);
    } finally {
      sym.cleanup();
    }
  });

  t('an already-aborted signal fails loadModule and findFileInPath with ABORTED, the reason as cause', async () => {
    const sym = SymbolHandler.initialize();
    try {
      const ac = new AbortController();
      ac.abort(new Error('user gave up'));
      const image = require('path').resolve(__dirname, '..', 'fixtures', 'bin', 'basic-x64.exe');
      await expect(sym.loadModule(image, { signal: ac.signal })).rejects.toMatchObject({ name: 'DbgHelpError', code: 'ABORTED', cause: ac.signal.reason });
      await expect(sym.findFileInPath({ fileName: 'basic-x64.pdb', id: '00000000-0000-0000-0000-000000000000', two: 1, signal: ac.signal })).rejects.toMatchObject({ code: 'ABORTED' });
      expect(sym.enumModules()).toEqual([]);
    } finally {
      sym.cleanup();
    }
  });

  t('rejects a processId that is not a positive integer', async () => {
    expect(() => SymbolHandler.initialize({ invadeProcess: true, processId: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
    expect(() => SymbolHandler.initialize({ invadeProcess: true, processId: 1.5 })).toThrow(/processId/);
  });

  if (name === 'native') {
    t('invades the current process: its own image is a loaded module', async () => {
      const sym = SymbolHandler.initialize({ invadeProcess: true });
      try {
        const mods = sym.enumModules();
        // node.exe itself and the system DLLs every process maps are among the modules read.
        expect(mods.some((m) => /node\.exe$/i.test(m.imageName))).toBe(true);
        expect(mods.some((m) => /kernel32\.dll$/i.test(m.imageName))).toBe(true);
        for (const m of mods) expect(sym.getModuleInfo(m.baseOfImage)?.baseOfImage).toBe(m.baseOfImage);
      } finally {
        sym.cleanup();
      }
    });
  } else {
    t('refuses invadeProcess: there is no live process to read', async () => {
      expect(() => SymbolHandler.initialize({ invadeProcess: true })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/native backend on Windows/) }));
    });
  }
});
