/**
 * The committed crash dumps of test/fixtures/dumps (README.md there) agree with their truth
 * files, their image and its PDB:
 * - each <scenario>.dmp holds the program's own record (CommentStreamA) and the truth file repeats
 *   it frame for frame; the dump's exception stream, thread list, module list (name, base, size,
 *   timestamp and checksum of the committed image; Wine writes no CodeView record) and stack
 *   memory hold what a walk needs to find those frames (each caller's return address at the
 *   callee's sp - 8);
 * - each truth frame in crashes-x64.exe lies inside the image, and the project's own
 *   SymbolHandler, loading the committed image + PDB, names it as the truth does (physical
 *   function at the frame's lookup address, inline frames innermost first);
 * - the chains are the ones src/expected.json says the programs were written to have;
 * - Microsoft's StackWalkEx over each dump (<scenario>.mswalk.json, tools/mswalk.c) found the same
 *   frames: physical frames at the same pc and sp, inline frames with the same names; with only
 *   our image to unwind with (.mswalk-exeonly.json), the same frames down to the first frame in
 *   one of Wine's DLLs.
 * The dumps are read here through the project's bounds-checked Cursor (a minimal reading of
 * MINIDUMP_HEADER/DIRECTORY/THREAD/MODULE/EXCEPTION_STREAM, not the project's minidump reader).
 */
import * as fs from 'fs';
import * as path from 'path';
import { SymbolHandler } from '../../lib';
import { Cursor } from '../../lib/formats/binary/cursor';

const DIR = path.resolve(__dirname, '..', 'fixtures', 'dumps');
const IMAGE = path.join(DIR, 'bin', 'crashes-x64.exe');
const PDB = path.join(DIR, 'bin', 'crashes-x64.pdb');
const IMAGE_NAME = 'crashes-x64.exe';

interface Frame {
  pc: string;
  sp?: string;
  module: string | null;
  rva: string | null;
  lookupRva?: string;
  function?: string;
  inlines?: string[];
  file?: string;
  line?: number;
}
interface Thread {
  role: 'crashing' | 'waiter';
  id: number;
  frames: Frame[];
}
interface Truth {
  format: string;
  scenario: string;
  exception: { code: string; address: string; info: string[] };
  modules: { name: string; base: string; size: string }[];
  threads: Thread[];
  precrash: Frame[];
}

interface MsWalk {
  dbghelp: { checkSum: string; timeDateStamp: string };
  threads: { id: number; crashing: boolean; frames: { pc: string; sp: string; inline: boolean; function: string | null }[] }[];
}

const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'src', 'expected.json'), 'utf8'));
const SCENARIOS = Object.keys(expected).filter((k) => k !== 'about' && k !== 'waiter');

interface DumpThread {
  id: number;
  stackStart: bigint;
  stack: Uint8Array;
  rip: bigint;
  rsp: bigint;
}
interface Dump {
  comment: string;
  exception: { threadId: number; code: number; address: bigint; rip: bigint; rsp: bigint };
  threads: DumpThread[];
  modules: { base: bigint; size: number; checkSum: number; timeDateStamp: number; name: string; cv: { guid: string; age: number; pdb: string } | undefined }[];
}

function readDump(file: string): Dump {
  const buf = new Uint8Array(fs.readFileSync(file));
  const c = Cursor.of(buf, file);
  const at = (rva: number, size: number) => c.seek(rva).take(size, 'stream');
  const h = at(0, 32);
  if (h.fixedString(4) !== 'MDMP') h.fail('not a minidump');
  h.skip(4);
  const count = h.u32();
  const dirRva = h.u32();
  const streams = new Map<number, { size: number; rva: number }>();
  const dir = at(dirRva, count * 12);
  for (let i = 0; i < count; i++) {
    const type = dir.u32();
    const s = { size: dir.u32(), rva: dir.u32() };
    if (type !== 0) streams.set(type, s);
  }
  const stream = (type: number) => {
    const s = streams.get(type);
    if (!s) throw new Error(`${file}: no stream ${type}`);
    return at(s.rva, s.size);
  };
  const context = (size: number, rva: number) => {
    const x = at(rva, size);
    return { rsp: x.seek(0x98).u64(), rip: x.seek(0xf8).u64() };
  };
  const comment = stream(10);
  const text = new TextDecoder('latin1').decode(comment.bytes(comment.length));

  const ex = stream(6);
  const threadId = ex.u32();
  ex.skip(4);
  const code = ex.u32();
  ex.skip(12);
  const address = ex.u64();
  ex.seek(160);
  const exCtx = context(ex.u32(), ex.u32());

  const tl = stream(3);
  const threads: DumpThread[] = [];
  for (let i = 0, n = tl.u32(); i < n; i++) {
    const t = tl.take(48, 'MINIDUMP_THREAD');
    const id = t.u32();
    t.skip(20);
    const stackStart = t.u64();
    const stackSize = t.u32();
    const stackRva = t.u32();
    const ctx = context(t.u32(), t.u32());
    threads.push({ id, stackStart, stack: at(stackRva, stackSize).bytes(stackSize), ...ctx });
  }

  const ml = stream(4);
  const modules: Dump['modules'] = [];
  for (let i = 0, n = ml.u32(); i < n; i++) {
    const m = ml.take(108, 'MINIDUMP_MODULE');
    const base = m.u64();
    const size = m.u32();
    const checkSum = m.u32();
    const timeDateStamp = m.u32();
    const nameRva = m.u32();
    m.skip(52);
    const cvSize = m.u32();
    const cvRva = m.u32();
    const ns = at(nameRva, 4);
    const nameLen = ns.u32();
    const name = new TextDecoder('utf-16le').decode(at(nameRva + 4, nameLen).bytes(nameLen));
    let cv: { guid: string; age: number; pdb: string } | undefined;
    if (cvSize >= 24) {
      const r = at(cvRva, cvSize);
      if (r.u32() === 0x53445352) cv = { guid: r.guid(), age: r.u32(), pdb: r.cstring('pdb name') };
    }
    modules.push({ base, size, checkSum, timeDateStamp, name: name.split(/[\\/]/).pop()!.toLowerCase(), cv });
  }
  return { comment: text, exception: { threadId, code, address, ...exCtx }, threads, modules };
}

function stackU64(t: DumpThread, address: bigint): bigint | undefined {
  const off = address - t.stackStart;
  if (off < 0n || off + 8n > BigInt(t.stack.length)) return undefined;
  return Buffer.from(t.stack).readBigUInt64LE(Number(off));
}

const load = (s: string) => ({
  dump: readDump(path.join(DIR, `${s}.dmp`)),
  truth: JSON.parse(fs.readFileSync(path.join(DIR, `${s}.truth.json`), 'utf8')) as Truth,
});

/** A frame as src/expected.json writes it. */
const show = (f: Frame) => (f.module === IMAGE_NAME ? [...f.inlines!, f.function].join(' < ') : f.module);

describe('test/fixtures/dumps: the committed dumps', () => {
  test('every scenario has its dump and truth; the dumps stay small', () => {
    expect(SCENARIOS).toEqual(['leaf', 'inline', 'chkstk', 'alloca', 'framepointer', 'seh', 'callback', 'oscallback']);
    let total = 0;
    for (const s of SCENARIOS) {
      const size = fs.statSync(path.join(DIR, `${s}.dmp`)).size;
      expect(size).toBeLessThan(300_000);
      total += size;
      expect(fs.existsSync(path.join(DIR, `${s}.truth.json`))).toBe(true);
      expect(fs.existsSync(path.join(DIR, `${s}.mswalk.json`))).toBe(true);
      expect(fs.existsSync(path.join(DIR, `${s}.mswalk-exeonly.json`))).toBe(true);
    }
    expect(total).toBeLessThan(2_000_000);
  });

  describe.each(SCENARIOS)('%s', (s) => {
    const { dump, truth } = load(s);
    const [crash, waiter] = truth.threads;

    test('the truth file repeats the record the program wrote into the dump', () => {
      const record = JSON.parse(dump.comment) as Truth;
      expect(record.format).toBe('dumpfix-truth/1');
      expect(truth.scenario).toBe(s);
      expect(record.scenario).toBe(s);
      expect(record.exception).toEqual(truth.exception);
      const raw = (f: Frame) => ({ pc: f.pc, sp: f.sp, module: f.module, rva: f.rva });
      expect(record.threads.map((t) => ({ ...t, frames: t.frames.map(raw) }))).toEqual(truth.threads.map((t) => ({ ...t, frames: t.frames.map(raw) })));
      expect(record.precrash.map(raw)).toEqual(truth.precrash.map(raw));
      expect(crash.role).toBe('crashing');
      expect(waiter.role).toBe('waiter');
    });

    test("the dump's exception, threads and stacks hold what a walk needs", () => {
      expect(dump.exception.threadId).toBe(crash.id);
      expect(dump.exception.code).toBe(0xc0000005);
      expect(dump.exception.address).toBe(BigInt(crash.frames[0].pc));
      expect(dump.exception.rip).toBe(BigInt(crash.frames[0].pc));
      expect(dump.exception.rsp).toBe(BigInt(crash.frames[0].sp!));
      expect(dump.threads.length).toBeGreaterThanOrEqual(2);
      for (const t of truth.threads) {
        const dt = dump.threads.find((x) => x.id === t.id)!;
        expect(dt).toBeDefined();
        if (t.role === 'waiter') expect([dt.rip, dt.rsp]).toEqual([BigInt(t.frames[0].pc), BigInt(t.frames[0].sp!)]);
        for (let i = 1; i < t.frames.length; i++) {
          expect(stackU64(dt, BigInt(t.frames[i].sp!) - 8n)).toBe(BigInt(t.frames[i].pc));
        }
      }
    });

    test('the module list names the committed image (name, base, size, timestamp)', async () => {
      const sym = SymbolHandler.initialize();
      try {
        const img = truth.modules.find((m) => m.name === IMAGE_NAME)!;
        const base = await sym.loadModule(IMAGE, { pdbPath: PDB, baseAddress: BigInt(img.base) });
        const info = sym.getModuleInfo(base)!;
        const m = dump.modules.find((x) => x.base === base)!;
        expect(m.name).toBe(IMAGE_NAME);
        expect(m.size).toBe(info.imageSize);
        expect(BigInt(img.size)).toBe(BigInt(info.imageSize));
        // Wine 8.0's MiniDumpWriteDump writes no CvRecord (Windows' does): the image is found by
        // name, TimeDateStamp and SizeOfImage (its symbol-store key), then its PDB by the image.
        expect(m.cv).toBeUndefined();
        expect([m.timeDateStamp, m.checkSum]).toEqual([info.timeDateStamp, info.checkSum]);
        expect(info.pdbSig70).not.toBe('00000000-0000-0000-0000-000000000000');
        for (const tm of truth.modules) expect(dump.modules.some((x) => x.base === BigInt(tm.base) && x.name === tm.name)).toBe(true);
      } finally {
        sym.cleanup();
      }
    });

    test('SymbolHandler names every image frame as the truth does, inline frames included', async () => {
      const sym = SymbolHandler.initialize();
      try {
        const img = truth.modules.find((m) => m.name === IMAGE_NAME)!;
        const base = await sym.loadModule(IMAGE, { pdbPath: PDB, baseAddress: BigInt(img.base) });
        const size = BigInt(sym.getModuleInfo(base)!.imageSize);
        const frames = [...truth.threads.flatMap((t) => t.frames), ...truth.precrash].filter((f) => f.module === IMAGE_NAME);
        expect(frames.length).toBeGreaterThan(8);
        for (const f of frames) {
          const rva = BigInt(f.rva!);
          expect(BigInt(f.pc)).toBe(base + rva);
          expect(rva).toBeGreaterThanOrEqual(0x1000n);
          expect(rva).toBeLessThan(size);
          const a = base + BigInt(f.lookupRva!);
          expect([f.pc, sym.fromAddr(a)?.symbol.name]).toEqual([f.pc, f.function]);
          const n = sym.addrIncludeInlineTrace(a);
          const names: string[] = [];
          if (n) {
            const q = sym.queryInlineTrace({ startAddress: a, startContext: 0, startRetAddress: a, curAddress: a })!;
            for (let i = 0; i < n; i++) names.push(sym.fromInlineContext(a, (q.curContext + i) >>> 0)!.symbol.name);
          }
          expect([f.pc, names]).toEqual([f.pc, f.inlines]);
        }
      } finally {
        sym.cleanup();
      }
    });

    test("Microsoft's StackWalkEx over the dump found the truth's frames (<scenario>.mswalk.json)", () => {
      const ms = JSON.parse(fs.readFileSync(path.join(DIR, `${s}.mswalk.json`), 'utf8')) as MsWalk;
      expect(ms.dbghelp).toMatchObject({ checkSum: '0x001d0bc4', timeDateStamp: '0xfbae593b' });
      for (const t of truth.threads) {
        const mt = ms.threads.find((x) => x.id === t.id)!;
        expect(mt.crashing).toBe(t.role === 'crashing');
        const physical = mt.frames.filter((f) => !f.inline);
        expect(physical.map((f) => [f.pc, f.sp])).toEqual(t.frames.map((f) => [f.pc, f.sp]));
        // inline frames come first at their physical frame's pc, innermost first
        const inl = t.frames.map((f) => mt.frames.filter((m) => m.inline && m.pc === f.pc).map((m) => m.function));
        expect(inl).toEqual(t.frames.map((f) => f.inlines ?? []));
        for (const f of t.frames.filter((x) => x.module === IMAGE_NAME)) {
          expect([f.pc, physical.find((m) => m.pc === f.pc)!.function]).toEqual([f.pc, f.function]);
        }
      }
    });

    test('with our image only (<scenario>.mswalk-exeonly.json), StackWalkEx agrees up to the first foreign frame', () => {
      const ms = JSON.parse(fs.readFileSync(path.join(DIR, `${s}.mswalk-exeonly.json`), 'utf8')) as MsWalk;
      for (const t of truth.threads) {
        const physical = ms.threads.find((x) => x.id === t.id)!.frames.filter((f) => !f.inline);
        const n = t.frames.findIndex((f) => f.module !== IMAGE_NAME) + 1; // through the first frame in Wine's DLLs
        expect(n).toBeGreaterThan(0);
        expect(physical.slice(0, n).map((f) => [f.pc, f.sp])).toEqual(t.frames.slice(0, n).map((f) => [f.pc, f.sp]));
      }
    });

    test('the chains are the ones the program was written to have (src/expected.json)', () => {
      expect(crash.frames.map(show)).toEqual(expected[s].crashing);
      expect(waiter.frames.map(show)).toEqual(expected.waiter);
      expect(crash.frames[0].lookupRva).toBe(crash.frames[0].rva); // the faulting pc itself
    });
  });
});
