/**
 * No malformed TPI stream can crash, hang or throw anything but DbgHelpError BAD_FORMAT.
 *
 * The TPI and hash streams of the type fixtures are truncated (every 4 bytes through the header
 * and the first records, then a spread), corrupted with seeded byte overwrites over the records
 * and over the hash stream, and given hostile values (record lengths, type references pointing
 * at themselves or past the end, LF_INDEX continuations into themselves). Each copy is walked
 * like a SymGetTypeInfo user would walk it (walk.ts: every id, every request, the children) in
 * a worker thread with a time bound per case, so a hang fails the test with the case's name.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { corruptions, truncations } from '../../helpers/mutate';
import type { WalkCase } from './walk';

const BIN = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');
const CASE_MS = 3000;
const WALK_TS = path.join(__dirname, 'walk.ts');
const BOOTSTRAP = `
const fs = require('fs');
const ts = require(${JSON.stringify(require.resolve('typescript'))});
const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, isolatedModules: true };
require.extensions['.ts'] = (module, filename) => {
  module._compile(ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions: options, fileName: filename }).outputText, filename);
};
require(${JSON.stringify(WALK_TS)}).serve();
`;

/** One worker, kept across tests; replaced when a case hangs. */
let worker: Worker | undefined;
let ready: Promise<void> | undefined;
function start(): Promise<void> {
  if (ready) return ready;
  const w = new Worker(BOOTSTRAP, { eval: true });
  worker = w;
  ready = new Promise((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
  });
  return ready;
}
afterAll(async () => {
  await worker?.terminate();
});

/** Runs cases in the worker; a case without an answer within CASE_MS is a hang (worker replaced). */
async function runAll(cases: WalkCase[]): Promise<string[]> {
  const problems: string[] = [];
  let rest = cases;
  while (rest.length) {
    await start();
    const w = worker!;
    const done = new Set<string>();
    const hung = await new Promise<string | undefined>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let next = 0;
      const finish = (v: string | undefined) => {
        clearTimeout(timer);
        w.off('message', onMsg);
        w.off('error', reject);
        resolve(v);
      };
      const send = () => {
        if (next < rest.length) w.postMessage(rest[next++]);
        else finish(undefined);
      };
      const onMsg = (m: { type: string; id: string; problems?: string[] }) => {
        if (m.type === 'start') timer = setTimeout(() => finish(m.id), CASE_MS);
        else if (m.type === 'done') {
          clearTimeout(timer);
          done.add(m.id);
          problems.push(...m.problems!);
          send();
        }
      };
      w.on('message', onMsg);
      w.once('error', reject);
      send();
    });
    if (hung === undefined) break;
    await w.terminate();
    worker = undefined;
    ready = undefined;
    problems.push(`${hung}: no answer within ${CASE_MS} ms (hang)`);
    rest = rest.filter((c) => !done.has(c.id) && c.id !== hung);
  }
  return problems;
}

function streamsOf(file: string): { stream: Uint8Array; hash: Uint8Array | undefined; names: string[]; offsets: number[]; leaves: number[] } {
  const pdb = PdbFile.open(file);
  try {
    const tpi = pdb.tpi()!;
    const stream = Uint8Array.from(pdb.msf.stream(2));
    const hs = tpi.header.hashStreamIndex;
    const hash = hs !== 0xffff ? Uint8Array.from(pdb.msf.stream(hs)) : undefined;
    const names: string[] = [];
    const offsets: number[] = [];
    const leaves: number[] = [];
    tpi.forEach((ti, leaf) => {
      leaves.push(leaf);
      offsets.push(tpi.record(ti).data.start - 4); // the record's offset in the stream
      const t = tpi.tag(ti);
      if (t && names.length < 20) names.push(t.name);
    });
    return { stream, hash, names, offsets, leaves };
  } finally {
    pdb.close();
  }
}

function withU32(buf: Uint8Array, at: number, v: number): Uint8Array {
  const b = Uint8Array.from(buf);
  new DataView(b.buffer).setUint32(at, v >>> 0, true);
  return b;
}
function withU16(buf: Uint8Array, at: number, v: number): Uint8Array {
  const b = Uint8Array.from(buf);
  new DataView(b.buffer).setUint16(at, v & 0xffff, true);
  return b;
}

describe.each(['types-x64', 'cppfeatures-x86'])('malformed TPI of %s', (name) => {
  const { stream, hash, names, offsets, leaves } = streamsOf(path.join(BIN, `${name}.pdb`));
  const base = { hash, names };

  test('the intact streams walk without a problem', async () => {
    expect(await runAll([{ id: `${name}/intact`, stream, ...base }])).toEqual([]);
  }, 30000);

  test('truncated', async () => {
    // Cut as they are (the header's sizes then exceed the stream), and with the header's record
    // byte count patched to the cut, so the records themselves end early.
    const cuts = [...truncations(stream.subarray(0, 200), 4), ...truncations(stream, 1999)];
    const cases = cuts.flatMap((s, i) => [
      { id: `${name}/cut${i}@${s.length}`, stream: s, ...base },
      ...(s.length > 56 ? [{ id: `${name}/cutpatched${i}@${s.length}`, stream: withU32(s, 16, s.length - 56), ...base }] : []),
    ]);
    expect(await runAll(cases)).toEqual([]);
  }, 60000);

  test('records corrupted (seeded byte overwrites)', async () => {
    const cases = corruptions(stream, 40, 6, 7, 56).map((s, i) => ({ id: `${name}/flip${i}`, stream: s, ...base }));
    expect(await runAll(cases)).toEqual([]);
  }, 60000);

  test('hash stream corrupted or cut: lookups still answer or say BAD_FORMAT', async () => {
    if (!hash) return;
    const cases = [
      ...corruptions(hash, 10, 8, 11).map((h, i) => ({ id: `${name}/hashflip${i}`, stream, hash: h, names })),
      ...truncations(hash, Math.max(64, hash.length >> 3)).map((h, i) => ({ id: `${name}/hashcut${i}`, stream, hash: h, names })),
    ];
    expect(await runAll(cases)).toEqual([]);
  }, 60000);

  test('hostile values: record lengths, self references, continuations into themselves', async () => {
    const cases: WalkCase[] = [];
    const rec = (k: number) => offsets[k];
    for (let k = 0; k < offsets.length; k += Math.max(1, Math.floor(offsets.length / 6))) {
      const at = rec(k);
      const ti = 0x1000 + k;
      for (const len of [0, 1, 2, 0xffff]) cases.push({ id: `${name}/len${k}=${len}`, stream: withU16(stream, at, len), ...base });
      // Every u32 of the record's payload pointed at the record itself, then past the end.
      const reclen = stream[at] | (stream[at + 1] << 8);
      for (let p = at + 4; p + 4 <= at + 2 + reclen; p += 4) {
        cases.push({ id: `${name}/self${k}@${p - at}`, stream: withU32(stream, p, ti), ...base });
        if ((p - at) % 8 === 4) cases.push({ id: `${name}/past${k}@${p - at}`, stream: withU32(stream, p, 0x1000 + offsets.length + 5), ...base });
      }
    }
    // Field lists emptied down to one LF_INDEX: into themselves, and pairs into each other.
    const allLists = leaves.flatMap((l, k) => (l === 0x1203 ? [k] : []));
    const lists = allLists.filter((_, i) => i % Math.ceil(allLists.length / 8) === 0);
    const continueTo = (buf: Uint8Array, k: number, target: number) => {
      const at = rec(k);
      const reclen = buf[at] | (buf[at + 1] << 8);
      const b = Uint8Array.from(buf);
      b.fill(0xf1, at + 4, at + 2 + reclen);
      new DataView(b.buffer).setUint16(at + 4, 0x1404, true);
      new DataView(b.buffer).setUint16(at + 6, 0, true);
      new DataView(b.buffer).setUint32(at + 8, target, true);
      return b;
    };
    for (const k of lists) cases.push({ id: `${name}/index-self${k}`, stream: continueTo(stream, k, 0x1000 + k), ...base });
    for (let i = 0; i + 1 < lists.length; i += 2) {
      const [a, b] = [lists[i], lists[i + 1]];
      cases.push({ id: `${name}/index-pair${a},${b}`, stream: continueTo(continueTo(stream, a, 0x1000 + b), b, 0x1000 + a), ...base });
    }
    expect(lists.length).toBeGreaterThan(4);
    expect(cases.length).toBeGreaterThan(60);
    expect(await runAll(cases)).toEqual([]);
  }, 120000);
});
