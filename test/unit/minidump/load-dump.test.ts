/**
 * loadDump on synthetic dumps whose modules are the project's fixtures (test/fixtures/bin),
 * placed in a temporary directory or symbol store as each case needs: image + PDB, PDB only,
 * image only, a mismatched PDB, no CodeView record, an HTTP store answering 500, a corrupt
 * CodeView record; concurrency, progress, abort.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { SymType } from '../../../lib/api/constants';
import { DbgHelpError } from '../../../lib/api/errors';
import { loadDump, type DumpLoadProgress } from '../../../lib/dump/load-dump';
import { StreamType } from '../../../lib/formats/minidump/stream-types';
import { PeImage } from '../../../lib/formats/pe/pe-image';
import { breakers, closeSharedAgents, setHttpStoreDefaults } from '../../../lib/symsrv/http';
import { DumpBuilder, module, rsds, systemInfo, thread, W, x86Context } from '../../helpers/minidump-synth';

const BIN = path.resolve(__dirname, '../../fixtures/bin');

interface Fixture {
  file: string;
  pdb: string;
  timeDateStamp: number;
  sizeOfImage: number;
  guid: string;
  age: number;
}
function fixture(file: string): Fixture {
  const img = PeImage.open(path.join(BIN, file));
  try {
    const cv = img.codeView()!;
    if (cv.signature !== 'RSDS') throw new Error('fixture without RSDS');
    return { file, pdb: cv.pdbPath, timeDateStamp: img.timeDateStamp, sizeOfImage: img.sizeOfImage, guid: cv.guid, age: cv.age };
  } finally {
    img.close();
  }
}
const X64 = fixture('basic-x64.exe');
const X86 = fixture('basic-x86.exe');
const EXPORTS = fixture('exports-x64.dll');

interface ModSpec {
  fx: Fixture;
  base: bigint;
  cv?: 'none' | 'corrupt';
  name?: string;
}

function synthDump(mods: ModSpec[], arch = 9): Uint8Array {
  const b = new DumpBuilder();
  b.stream(StreamType.SystemInfo, systemInfo(new W(), { arch, major: 10, minor: 0, build: 19045 }));
  const ml = new W().u32(mods.length);
  for (const m of mods) {
    const nameRva = b.string(`C:\\app\\${m.name ?? m.fx.file}`);
    const cv = m.cv === 'none' ? undefined : m.cv === 'corrupt' ? b.add(new W().ascii('RSDS').u32(1)) : b.add(rsds(m.fx.guid, m.fx.age, `C:\\build\\${m.fx.pdb}`));
    module(ml, { base: m.base, size: m.fx.sizeOfImage, timeDateStamp: m.fx.timeDateStamp, nameRva, cv });
  }
  b.stream(StreamType.ModuleList, ml);
  const ctx = b.add(x86Context({ eip: 0x401000 }));
  b.stream(StreamType.ThreadList, thread(new W().u32(1), { id: 7, context: ctx }));
  return b.build();
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loaddump-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Copies fixture files into a directory (flat) or a store (`name/KEY/name`). */
function put(dir: string, files: string[], store = false): string {
  for (const f of files) {
    let dest = path.join(dir, f);
    if (store) {
      const fx = f.endsWith('.pdb') ? [X64, X86, EXPORTS].find((x) => x.pdb === f)! : [X64, X86, EXPORTS].find((x) => x.file === f)!;
      const key = f.endsWith('.pdb') ? fx.guid.replace(/-/g, '') + fx.age.toString(16) : fx.timeDateStamp.toString(16).toUpperCase().padStart(8, '0') + fx.sizeOfImage.toString(16);
      dest = path.join(dir, f, key, f);
    }
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(path.join(BIN, f), dest);
  }
  return dir;
}

test('image and PDB in a symbol store: loaded at the dump base with private symbols', async () => {
  const store = put(path.join(tmp, 'store'), ['basic-x64.exe', 'basic-x64.pdb'], true);
  fs.writeFileSync(path.join(store, 'pingme.txt'), '');
  const base = 0x7ff700000000n;
  const d = await loadDump(synthDump([{ fx: X64, base }]), { searchPath: `srv*${store}` });
  try {
    const [m] = d.modules;
    expect(m.status).toEqual({ kind: 'loaded', source: 'pdb', symbolFile: m.symbolFile, imageFile: m.imageFile });
    expect(m.imageFile).toBe(path.join(store, 'basic-x64.exe', '982681B88000', 'basic-x64.exe'));
    expect(m.symbolFile).toBe(path.join(store, 'basic-x64.pdb', '8C6EB4D760FE3FA64C4C44205044422E1', 'basic-x64.pdb'));
    // expected/basic-x64.symbolizer.jsonl: RVA 0x1000 is chain_c, basic.c:40.
    const hit = d.handler.fromAddr(base + 0x1000n)!;
    expect([hit.symbol.name, hit.symbol.address, hit.displacement]).toEqual(['chain_c', base + 0x1000n, 0n]);
    expect(d.handler.getLineFromAddr(base + 0x1000n)!.lineNumber).toBe(40);
    expect(Buffer.from(m.readRva(0, 2)!).toString('latin1')).toBe('MZ');
    expect(m.x86FrameInfo).toBeUndefined(); // amd64
    expect(d.moduleAt(base + 0x7fffn)).toBe(m);
    expect(d.moduleAt(base + 0x8000n)).toBeUndefined();
  } finally {
    d.close();
  }
});

test('findImages: false searches PDBs only', async () => {
  const dir = put(path.join(tmp, 'd'), ['basic-x64.exe', 'basic-x64.pdb']);
  const d = await loadDump(synthDump([{ fx: X64, base: 0x140000000n }]), { searchPath: dir, findImages: false });
  try {
    expect(d.modules[0].imageFile).toBeUndefined();
    expect(d.modules[0].status).toEqual({ kind: 'loaded', source: 'pdb', symbolFile: path.join(dir, 'basic-x64.pdb'), imageFile: undefined });
    expect(d.handler.getModuleInfo(0x140000000n)!.loadedImageName).toBe(path.join(dir, 'basic-x64.pdb'));
  } finally {
    d.close();
  }
});

test('files copied from an upstream store into the cache report download progress for their module', async () => {
  const store = put(path.join(tmp, 'store'), ['basic-x64.exe', 'basic-x64.pdb'], true);
  const cache = path.join(tmp, 'cache');
  const events: DumpLoadProgress[] = [];
  const d = await loadDump(synthDump([{ fx: X64, base: 0x140000000n }]), { searchPath: `srv*${cache}*${store}`, onProgress: (p) => events.push(p) });
  try {
    expect(d.modules[0].symbolFile).toBe(path.join(cache, 'basic-x64.pdb', '8C6EB4D760FE3FA64C4C44205044422E1', 'basic-x64.pdb'));
    const downloads = events.filter((e): e is Extract<DumpLoadProgress, { kind: 'download' }> => e.kind === 'download');
    expect(downloads.length).toBeGreaterThan(0);
    expect(new Set(downloads.map((e) => e.name))).toEqual(new Set(['basic-x64.exe']));
    const pdbSize = fs.statSync(path.join(BIN, 'basic-x64.pdb')).size;
    expect(downloads.some((e) => e.progress.bytes === pdbSize && e.progress.from.endsWith('basic-x64.pdb'))).toBe(true);
    expect(events[0].kind).toBe('module-start');
    expect(events[events.length - 1]).toMatchObject({ kind: 'module-done', completed: 1, total: 1, status: { kind: 'loaded', source: 'pdb' } });
  } finally {
    d.close();
  }
});

test('PDB only: loaded alone at the dump base; the image is not needed for symbols', async () => {
  const dir = put(path.join(tmp, 'd'), ['basic-x86.pdb']);
  const base = 0x10000000n;
  const d = await loadDump(synthDump([{ fx: X86, base }], 0), { searchPath: dir });
  try {
    const [m] = d.modules;
    expect(m.status).toEqual({ kind: 'loaded', source: 'pdb', symbolFile: path.join(dir, 'basic-x86.pdb'), imageFile: undefined });
    expect(d.handler.getModuleInfo(base)).toMatchObject({ baseOfImage: base, imageSize: X86.sizeOfImage, symType: SymType.Pdb, moduleName: 'basic-x86' });
    expect(d.handler.fromAddr(base + 0x1000n)!.symbol.name).toBe('chain_c');
    // No image, no captured memory: the walker gets nothing for the headers, but the PDB's frame data.
    expect(m.readRva(0, 2)).toBeUndefined();
    expect(m.x86FrameInfo!(0x1000)).toMatchObject({ kind: 'framedata', rvaStart: 0x1000 });
  } finally {
    d.close();
  }
});

test('image without its PDB: exports load, the status says which PDB is missing and where it looked', async () => {
  const dir = put(path.join(tmp, 'd'), ['exports-x64.dll']);
  const base = 0x180000000n;
  const d = await loadDump(synthDump([{ fx: EXPORTS, base }]), { searchPath: dir });
  try {
    const [m] = d.modules;
    expect(m.loaded).toBe(true);
    expect(m.imageFile).toBe(path.join(dir, 'exports-x64.dll'));
    expect(d.handler.getModuleInfo(base)!.symType).toBe(SymType.Export);
    expect(m.status).toEqual({
      kind: 'symbols-missing',
      wanted: { name: 'exports-x64.pdb', debugId: 'A18A04FC194377364C4C44205044422E1' },
      searched: ['C:\\build\\exports-x64.pdb', path.join(dir, 'exports-x64.pdb'), path.join(dir, 'dll', 'exports-x64.pdb'), path.join(dir, 'symbols', 'dll', 'exports-x64.pdb')],
    });
  } finally {
    d.close();
  }
});

test('a PDB by the right name but another build: mismatched, with both identities', async () => {
  const dir = path.join(tmp, 'd');
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(BIN, '..', 'mismatch', 'basic-x64.pdb'), path.join(dir, 'basic-x64.pdb'));
  const d = await loadDump(synthDump([{ fx: X64, base: 0x140000000n }]), { searchPath: dir });
  try {
    const s = d.modules[0].status;
    expect(s.kind).toBe('mismatched');
    if (s.kind !== 'mismatched') return;
    expect(s.wanted).toEqual({ name: 'basic-x64.pdb', debugId: '8C6EB4D760FE3FA64C4C44205044422E1' });
    expect(s.found.path).toBe(path.join(dir, 'basic-x64.pdb'));
    expect(s.found.debugId).toMatch(/^[0-9A-F]{33}$/);
    expect(s.found.debugId).not.toBe(s.wanted.debugId);
  } finally {
    d.close();
  }
});

test('no CodeView record and no image: image-missing; a corrupt record does not fail the dump', async () => {
  const dir = put(path.join(tmp, 'd'), ['basic-x64.exe', 'basic-x64.pdb']);
  const d = await loadDump(
    synthDump([
      { fx: EXPORTS, base: 0x180000000n, cv: 'none' },
      { fx: EXPORTS, base: 0x190000000n, cv: 'corrupt', name: 'other.dll' },
      { fx: X64, base: 0x140000000n },
    ]),
    { searchPath: dir },
  );
  try {
    expect(d.modules[0].status).toEqual({ kind: 'image-missing', image: { name: 'exports-x64.dll', codeId: 'AE3E98165000' }, searched: [path.join(dir, 'exports-x64.dll')] });
    expect(d.modules[1].record.codeViewError).toMatch(/BAD_FORMAT|truncated/);
    expect(d.modules[1].status.kind).toBe('image-missing');
    expect(d.modules[2].status).toMatchObject({ kind: 'loaded', source: 'pdb' });
  } finally {
    d.close();
  }
});

describe('an HTTP symbol server answering 500 for every file', () => {
  let server: http.Server;
  let url: string;
  let requests = 0;
  beforeAll(async () => {
    setHttpStoreDefaults({ retries: 0, connectTimeoutMs: 1000, idleTimeoutMs: 500 });
    breakers.reset();
    server = http.createServer((req, res) => {
      requests++;
      // index2.txt missing: a one-tier store; every file then answers 500.
      res.statusCode = req.url?.endsWith('/index2.txt') ? 404 : 500;
      res.end('no');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sym`;
  });
  afterAll(async () => {
    breakers.reset();
    setHttpStoreDefaults({});
    closeSharedAgents();
    await new Promise((r) => server.close(r));
  });

  test('every module: unavailable, naming the server and the HTTP status', async () => {
    const d = await loadDump(
      synthDump([
        { fx: X64, base: 0x140000000n },
        { fx: EXPORTS, base: 0x180000000n },
      ]),
      { searchPath: `srv*${path.join(tmp, 'cache')}*${url}` },
    );
    try {
      for (const m of d.modules) {
        expect(m.status).toMatchObject({ kind: 'unavailable', server: url, httpStatus: 500 });
        if (m.status.kind === 'unavailable') expect(m.status.reason).toMatch(/^HTTP 500/);
      }
      expect(requests).toBeGreaterThan(0);
    } finally {
      d.close();
    }
  });
});

test("a broken memory list or SystemInfo is a warning; a search that fails is that module's status only", async () => {
  const dump = synthDump([{ fx: X64, base: 0x140000000n }]);
  const b = new DumpBuilder();
  b.stream(StreamType.SystemInfo, new W().u32(9)); // 4 bytes of 56
  b.stream(StreamType.MemoryList, new W().u32(0x1000000));
  const ml = new W().u32(1);
  module(ml, { base: 0x140000000n, size: X64.sizeOfImage, timeDateStamp: X64.timeDateStamp, nameRva: b.string('C:\\app\\basic-x64.exe'), cv: b.add(rsds(X64.guid, X64.age, 'basic-x64.pdb')) });
  b.stream(StreamType.ModuleList, ml);
  const dir = put(path.join(tmp, 'd'), ['basic-x64.exe', 'basic-x64.pdb']);
  const d = await loadDump(b.build(), { searchPath: dir });
  try {
    expect(d.warnings).toHaveLength(2);
    expect(d.warnings[0]).toMatch(/^SystemInfo: .*BAD_FORMAT|^SystemInfo: .*truncated/);
    expect(d.warnings[1]).toMatch(/^memory lists: .*count 16777216/);
    expect(d.arch).toBeUndefined();
    expect(d.memory.read(0n, 1)).toBeUndefined();
    expect(d.modules[0].status).toMatchObject({ kind: 'loaded', source: 'pdb' });
  } finally {
    d.close();
  }
  // A downstream store that cannot be created (its parent is a file).
  const store = put(path.join(tmp, 'store'), ['basic-x64.exe', 'basic-x64.pdb'], true);
  fs.writeFileSync(path.join(tmp, 'file'), '');
  const e = await loadDump(dump, { searchPath: `srv*${path.join(tmp, 'file', 'cache')}*${store}` });
  try {
    // lib/symsrv gives up on a store it cannot copy from into the cache: not found, not thrown.
    expect(e.modules[0].status).toMatchObject({ kind: 'symbols-missing', wanted: { name: 'basic-x64.pdb' } });
    expect(e.modules).toHaveLength(1);
  } finally {
    e.close();
  }
});

test('concurrency bounds the modules in flight; progress tells each start and end', async () => {
  const dir = put(path.join(tmp, 'd'), ['exports-x64.dll']);
  const mods = Array.from({ length: 7 }, (_, i) => ({ fx: EXPORTS, base: 0x180000000n + BigInt(i) * 0x100000n }));
  const events: DumpLoadProgress[] = [];
  let inFlight = 0;
  let most = 0;
  const d = await loadDump(synthDump(mods), {
    searchPath: dir,
    concurrency: 2,
    onProgress: (p) => {
      events.push(p);
      if (p.kind === 'module-start') most = Math.max(most, ++inFlight);
      if (p.kind === 'module-done') inFlight--;
    },
  });
  try {
    expect(most).toBe(2);
    const done = events.filter((e) => e.kind === 'module-done');
    expect(done.map((e) => (e.kind === 'module-done' ? e.completed : 0))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(done.map((e) => e.index))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
    expect(d.handler.enumModules()).toHaveLength(7);
  } finally {
    d.close();
  }
});

test('abort: before, and in the middle (the handler is cleaned up, ABORTED is thrown)', async () => {
  const dir = put(path.join(tmp, 'd'), ['exports-x64.dll']);
  const dump = synthDump(Array.from({ length: 5 }, (_, i) => ({ fx: EXPORTS, base: 0x180000000n + BigInt(i) * 0x100000n })));
  const pre = new AbortController();
  pre.abort();
  await expect(loadDump(dump, { searchPath: dir, signal: pre.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  const mid = new AbortController();
  let done = 0;
  const p = loadDump(dump, {
    searchPath: dir,
    concurrency: 1,
    signal: mid.signal,
    onProgress: (e) => {
      if (e.kind === 'module-done' && ++done === 2) mid.abort();
    },
  });
  await expect(p).rejects.toBeInstanceOf(DbgHelpError);
  await expect(p).rejects.toMatchObject({ code: 'ABORTED' });
  expect(done).toBe(2);
});

test('a dump that is not a dump rejects with BAD_FORMAT; bad options with INVALID_PARAMETER', async () => {
  await expect(loadDump(new Uint8Array(64))).rejects.toMatchObject({ code: 'BAD_FORMAT', offset: 0 });
  await expect(loadDump(synthDump([]), { concurrency: 0 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
  const d = await loadDump(synthDump([], 0), { searchPath: tmp });
  expect(d.modules).toEqual([]);
  expect(d.threads().map((t) => [t.thread.threadId, t.crashed, t.context!.registers.get('eip')])).toEqual([[7, false, 0x401000n]]);
  d.close();
  // A thread whose context record lies past the end of the file.
  const b = new DumpBuilder();
  b.stream(StreamType.ThreadList, thread(new W().u32(1), { id: 9, context: { rva: 0x10000, dataSize: 716 } }));
  const e = await loadDump(b.build());
  expect(e.threads()).toEqual([expect.objectContaining({ crashed: false, contextError: expect.stringMatching(/thread 0x9 context: 716 bytes at 0x10000 run past the end/) })]);
  e.close();
});
