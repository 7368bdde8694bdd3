/**
 * The round trip: .sym files dumpSyms writes (with its default STACK records) fed to Breakpad's
 * own minidump_stackwalk must print the same crashing-thread frames (module, function, file,
 * line) as our processMinidump with the PDBs: the project's x64 dumps
 * (test/fixtures/dumps/*.dmp, crashes-x64.pdb + .exe: STACK CFI) and sentry's mini.dmp (x86,
 * crash.pdb + crash.exe: STACK WIN). minidump_stackwalk is Breakpad's Linux x64 build
 * ($MINIDUMP_STACKWALK, e.g. from the npm package minidump@0.26.0); without it the suite says it
 * did not run.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { detailedStackCfiRecords, dumpSymsToStore } from '../../lib/breakpad';
import { PeImage } from '../../lib/formats/pe/pe-image';
import { processMinidump } from '../../lib/stack/process-dump';
import { moduleUnwind, readUnwindInfoAt } from '../../lib/stackwalk/internal';
import { corpusPath, describeCorpus } from '../helpers/corpus';
import { mapImage } from '../unit/stackwalk/pe-module';

// The build scripts/stackwalk-bin.js fetches (.ci/run does before this lane), or $MINIDUMP_STACKWALK.
const STACKWALK: string = process.env.MINIDUMP_STACKWALK ?? (require('../../scripts/stackwalk-bin') as { CACHED: string }).CACHED;
const haveStackwalk = fs.existsSync(STACKWALK);
const DUMPS = path.resolve(__dirname, '..', 'fixtures', 'dumps');
const BIN = path.join(DUMPS, 'bin');
const GS = 'getsentry_symbolic/symbolic-testutils/fixtures/windows';

export interface Row {
  module: string | undefined;
  function: string | undefined;
  file: string | undefined;
  line: number | undefined;
}

/** The crashing thread's frames in minidump_stackwalk's text output. */
export function stackwalkFrames(text: string): Row[] {
  const lines = text.split(/\r?\n/);
  const out: Row[] = [];
  let i = lines.findIndex((l) => /^Thread \d+ \(crashed\)/.test(l)) + 1;
  if (i === 0) return out;
  for (; i < lines.length && lines[i].trim() !== ''; i++) {
    const m = /^ ?\d+ {2}(.*)$/.exec(lines[i]);
    if (!m) continue;
    const body = m[1];
    let r: RegExpExecArray | null;
    if ((r = /^([^!]+)!(.*) \[(.*) : (\d+) \+ 0x[0-9a-f]+\]$/.exec(body))) out.push({ module: r[1], function: r[2], file: path.win32.basename(r[3]), line: Number(r[4]) });
    else if ((r = /^([^!]+)!(.*) \+ 0x[0-9a-f]+$/.exec(body))) out.push({ module: r[1], function: r[2], file: undefined, line: undefined });
    else if ((r = /^(.*) \+ 0x[0-9a-f]+$/.exec(body))) out.push({ module: r[1], function: undefined, file: undefined, line: undefined });
    else out.push({ module: undefined, function: undefined, file: undefined, line: undefined });
  }
  return out;
}

async function ours(dump: string, searchPath: string): Promise<Row[]> {
  const s = await processMinidump(dump, { searchPath, inlines: false });
  const t = s.threads[s.crashingThread ?? 0];
  return t.frames.map((f) => ({ module: f.module?.filename, function: f.function, file: f.file === undefined ? undefined : path.win32.basename(f.file), line: f.line }));
}

/**
 * A copy of `dump` whose module named `moduleName` gets `image`'s CodeView (RSDS) record. The
 * project's fixture dumps carry no CodeView records (minidump_stackwalk: "could not determine
 * debug_file"), which Breakpad's SimpleSymbolSupplier needs to find a .sym: the record is
 * appended and the module's MINIDUMP_MODULE.CvRecord (offset 76) pointed at it.
 */
function withCodeView(dump: string, moduleName: string, image: string, out: string): string {
  const pe = PeImage.open(image);
  let cv: Uint8Array;
  try {
    const e = pe.debugDirectories().find((d) => d.type === 2)!;
    cv = pe.debugData(e).bytes(e.sizeOfData);
  } finally {
    pe.close();
  }
  const b = Buffer.from(fs.readFileSync(dump));
  const streams = b.readUInt32LE(8);
  const dir = b.readUInt32LE(12);
  let patched = 0;
  for (let i = 0; i < streams; i++) {
    if (b.readUInt32LE(dir + i * 12) !== 4) continue; // ModuleListStream
    const list = b.readUInt32LE(dir + i * 12 + 8);
    for (let k = 0; k < b.readUInt32LE(list); k++) {
      const m = list + 4 + k * 108;
      const nameAt = b.readUInt32LE(m + 20);
      const name = b.toString('utf16le', nameAt + 4, nameAt + 4 + b.readUInt32LE(nameAt));
      if (path.win32.basename(name).toLowerCase() !== moduleName) continue;
      b.writeUInt32LE(cv.length, m + 76);
      b.writeUInt32LE(b.length, m + 80);
      patched++;
    }
  }
  expect(patched).toBe(1);
  fs.writeFileSync(out, Buffer.concat([b, Buffer.from(cv)]));
  return out;
}

function theirs(dump: string, store: string): Row[] {
  const text = execFileSync(STACKWALK, [dump, store], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  return stackwalkFrames(text);
}

const row = (module: string, fn?: string, file?: string, line?: number): Row => ({ module, function: fn, file, line });

/**
 * Where minidump_stackwalk with our .sym prints other frames than processMinidump, and why
 * (each the expected Breakpad frames, from ours):
 * - alloca.dmp: dyn_frame sets a frame pointer (UWOP_SET_FPREG, then a dynamic alloca);
 *   dump_syms' STACK CFI ignores the frame register (`.cfa: $rsp <fixed size> +`, which
 *   stack-cfi.ts writes as dump_syms does), so the CFA is wrong past the alloca and Breakpad's
 *   walk ends after dyn_frame. Our walker unwinds through RBP from .pdata. With
 *   detailedStackCfiRecords (`.cfa: $rbp n +` once the frame register is set) Breakpad walks it
 *   in full (the test below).
 * - oscallback.dmp: kernelbase.dll has no symbols for either side; Breakpad scans through it
 *   (ntdll + 0x693e0 and two stale return addresses in crashes-x64.exe, named by the nearest
 *   PUBLIC `MiniDumpWriteDump`, "Found by: stack scanning") where our walker reads kernelbase's
 *   .pdata from the dump memory and goes straight to scenario_oscallback.
 */
const DIFFERENCES: Record<string, (ours: Row[]) => Row[]> = {
  'alloca.dmp': (o) => o.slice(0, 2),
  'oscallback.dmp': (o) => [...o.slice(0, 2), row('ntdll.dll'), row('crashes-x64.exe', 'MiniDumpWriteDump'), row('crashes-x64.exe', 'MiniDumpWriteDump'), ...o.slice(2)],
};

/**
 * A function name without DIA's type-built decoration (`static int f()` → `f`): dumpSyms
 * names internal functions as DIA's dump_syms does (dump-syms.test.ts' "signature" class),
 * SymFromAddr gives the bare name.
 */
export function bareName(name: string | undefined): string | undefined {
  return name?.replace(/^static\s+.*?\s+(?=[\w:~<>]+\()/, '').replace(/\(.*\)$/, '');
}

function suite(name: string, fn: () => void): void {
  if (haveStackwalk) describe(name, fn);
  else describe(name, () => test.skip(`did not run: no minidump_stackwalk at ${STACKWALK} (run node scripts/stackwalk-bin.js, or set MINIDUMP_STACKWALK)`, () => {}));
}

suite('our .sym files through Breakpad minidump_stackwalk', () => {
  let store: string;
  beforeAll(async () => {
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'symstore-'));
    await dumpSymsToStore({ pdb: path.join(BIN, 'crashes-x64.pdb'), image: path.join(BIN, 'crashes-x64.exe'), store });
  });
  afterAll(() => (process.env.KEEP_STORE ? fs.cpSync(store, process.env.KEEP_STORE, { recursive: true }) : fs.rmSync(store, { recursive: true, force: true })));

  const dumps = fs.readdirSync(DUMPS).filter((f) => f.endsWith('.dmp'));
  test.each(dumps)(
    '%s: same frames as processMinidump',
    async (d) => {
      const want = await ours(path.join(DUMPS, d), BIN);
      const got = theirs(withCodeView(path.join(DUMPS, d), 'crashes-x64.exe', path.join(BIN, 'crashes-x64.exe'), path.join(store, d)), store);
      const pin = DIFFERENCES[d];
      if (!pin) expect(got).toEqual(want);
      else expect(got).toEqual(pin(want));
    },
    60000,
  );

  test('with detailedStackCfiRecords instead: alloca.dmp walks in full', async () => {
    const detailed = fs.mkdtempSync(path.join(os.tmpdir(), 'symstore-'));
    try {
      await dumpSymsToStore({ pdb: path.join(BIN, 'crashes-x64.pdb'), image: path.join(BIN, 'crashes-x64.exe'), store: detailed, stack: (ctx) => detailedStackCfiRecords(ctx.image!) });
      for (const d of dumps) {
        const want = await ours(path.join(DUMPS, d), BIN);
        const got = theirs(withCodeView(path.join(DUMPS, d), 'crashes-x64.exe', path.join(BIN, 'crashes-x64.exe'), path.join(detailed, d)), detailed);
        expect({ d, got }).toEqual({ d, got: d === 'oscallback.dmp' ? DIFFERENCES[d](want) : want });
      }
    } finally {
      fs.rmSync(detailed, { recursive: true, force: true });
    }
  }, 120000);

  test("alloca.dmp's evidence: dyn_frame's unwind data sets a frame register", async () => {
    const s = await processMinidump(path.join(DUMPS, 'alloca.dmp'), { searchPath: BIN, inlines: false });
    const f = s.threads[s.crashingThread!].frames[1];
    expect(f.function).toBe('dyn_frame');
    const { module } = mapImage(path.join(BIN, 'crashes-x64.exe'));
    const rf = moduleUnwind(module).x64!.find(Number(f.moduleOffset!) - 1)!;
    expect(readUnwindInfoAt(module, rf.unwindInfo).frameRegister).toBe(5); // RBP
  });
});

describeCorpus('our crash.sym through Breakpad minidump_stackwalk (mini.dmp)', () => {
  if (!haveStackwalk) {
    test.skip(`did not run: no minidump_stackwalk at ${STACKWALK} (run node scripts/stackwalk-bin.js, or set MINIDUMP_STACKWALK)`, () => {});
    return;
  }
  test('same frames as processMinidump with crash.pdb', async () => {
    const store = fs.mkdtempSync(path.join(os.tmpdir(), 'symstore-'));
    try {
      await dumpSymsToStore({ pdb: corpusPath(`${GS}/crash.pdb`), image: corpusPath(`${GS}/crash.exe`), store });
      const want = await ours(corpusPath(`${GS}/mini.dmp`), corpusPath(GS));
      const got = theirs(corpusPath(`${GS}/mini.dmp`), store);
      expect(got[1].function).toBe('static int __scrt_common_main_seh()');
      expect(got.map((r) => ({ ...r, function: bareName(r.function) }))).toEqual(want);
      expect(want.map((r) => r.function)).toEqual(['main', '__scrt_common_main_seh', undefined, undefined, undefined]);
    } finally {
      fs.rmSync(store, { recursive: true, force: true });
    }
  }, 60000);
});
