/**
 * Whose dbghelp.dll answers (lib/backend/wine.ts): told from the image mapped in memory (its
 * version resource), not from the file at the module's path. identifyDll is checked on built
 * resources everywhere; in the Wine lane, each backend's DLL must be the one the lane put behind
 * node.exe. (That the path proves nothing, a node.exe started without the `=n` override mapping
 * Wine's builtin while the path names Microsoft's file beside it, is checked by
 * scripts/windows/test.sh itself: Wine takes the override from the environment it starts with,
 * not from a child's.)
 */
import * as path from 'path';
import { identifyDll } from '../../lib/backend/wine';
import { loadBackend } from '../conformance/backends';

/** A VS_VERSION_INFO as the resource compiler lays it out: the parts identifyDll reads. */
function versionResource(description: string, ms: number, ls: number): Buffer {
  const w = (s: string) => Buffer.from(`${s}\0`, 'utf16le');
  const fixed = Buffer.alloc(52);
  fixed.writeUInt32LE(0xfeef04bd, 0);
  fixed.writeUInt32LE(0x00010000, 4);
  fixed.writeUInt32LE(ms, 8);
  fixed.writeUInt32LE(ls, 12);
  const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  const header = pad(Buffer.concat([Buffer.alloc(6), w('VS_VERSION_INFO')]));
  const strings = pad(Buffer.concat([Buffer.alloc(6), w('StringFileInfo'), Buffer.alloc(6), w('040904B0')]));
  const entry = Buffer.concat([pad(Buffer.concat([Buffer.alloc(6), w('FileDescription')])), pad(w(description))]);
  return Buffer.concat([header, fixed, strings, entry]);
}

describe('identifyDll (any platform)', () => {
  test("Microsoft's and Wine's dbghelp.dll by FileDescription, with the file version", () => {
    expect(identifyDll(versionResource('Windows Image Helper', (10 << 16) | 0, (19041 << 16) | 685))).toEqual({
      kind: 'microsoft',
      description: 'Windows Image Helper',
      version: '10.0.19041.685',
    });
    expect(identifyDll(versionResource('Wine Image Helper', (6 << 16) | 1, (7601 << 16) | 17514))).toEqual({ kind: 'wine', description: 'Wine Image Helper', version: '6.1.7601.17514' });
    expect(identifyDll(versionResource('Image Helper', 1, 2)).kind).toBe('unknown');
    expect(identifyDll(undefined)).toEqual({ kind: 'unknown' });
    expect(identifyDll(Buffer.alloc(3))).toEqual({ kind: 'unknown' });
    // A truncated resource: no version, no description, no throw.
    expect(identifyDll(versionResource('Wine Image Helper', 1, 2).subarray(0, 40))).toEqual({ kind: 'unknown' });
  });
});

for (const name of ['native', 'ffi'] as const) {
  describe(`${name} backend: the dbghelp.dll in memory`, () => {
    const loaded = loadBackend(name);
    if ('error' in loaded) {
      test(`not available on ${process.platform} (the Wine lane runs this)`, () => {
        expect(loaded.error).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
      });
      return;
    }
    const { backend } = loaded;
    const lane = process.env.DBGHELP_LANE_DLL;

    test('is the DLL the lane put behind node.exe, named by its version resource', () => {
      const image = backend.dllImage!;
      if (lane) expect(image.kind).toBe(lane);
      if (image.kind === 'microsoft') {
        expect(image).toEqual({ kind: 'microsoft', description: 'Windows Image Helper', version: '10.0.19041.685' });
        expect(path.win32.dirname(backend.dllPath!).toLowerCase()).toBe(path.win32.dirname(process.execPath).toLowerCase());
      }
      if (image.kind === 'wine') expect(image.description).toBe('Wine Image Helper');
    });
  });
}
