/**
 * One robustness case: build a mutated copy of a real PDB, then drive everything a user can do
 * with it, step by step. Each step must succeed or throw DbgHelpError BAD_FORMAT naming the file
 * and an offset (or one of the few documented codes); anything else is reported as a problem
 * line carrying the case id and the step.
 *
 * Runs inside a worker thread (see pool.ts) so that a hang can be cut off and reported.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DbgHelpError } from '../../../../lib/api/errors';
import { BufferSource } from '../../../../lib/formats/binary/source';
import { PdbFile } from '../../../../lib/formats/pdb/pdb-file';
import { SymbolHandler } from '../../../../lib/handler';
import { corruptions } from '../../../helpers/mutate';

/** A real PDB and what to ask of it. Plain data: it crosses to the worker by postMessage. */
export interface Subject {
  /** Short name used in case labels, e.g. "basic-x64". */
  name: string;
  pdbPath: string;
  /** The matching image, when there is one: loadModule(image, { pdbPath }) then uses the PDB. */
  imagePath?: string;
  /** RVAs to look up (a spread over the module, taken from the unmutated file). */
  rvas: number[];
  /** Names to look up (some present in the unmutated file, some not). */
  names: string[];
}

export type Mutation =
  /** Keep the first `length` bytes. */
  | { kind: 'cut'; length: number }
  /** `corruptions(buf, 1, flips, seed, from, to)`: seeded random byte overwrites in [from, to). */
  | { kind: 'flip'; seed: number; flips: number; from: number; to: number }
  /** Overwrite bytes at a file offset (hostile values in a header field). */
  | { kind: 'set'; at: number; bytes: number[] }
  | { kind: 'all'; parts: Mutation[] };

export interface Case {
  /** Unique within the subject; names the structure and the seed / field. */
  id: string;
  mutation: Mutation;
}

export function mutate(buf: Uint8Array, m: Mutation): Uint8Array {
  switch (m.kind) {
    case 'cut':
      return buf.subarray(0, Math.min(m.length, buf.length));
    case 'flip':
      return corruptions(buf, 1, m.flips, m.seed, m.from, Math.min(m.to, buf.length))[0];
    case 'set': {
      const b = Uint8Array.from(buf);
      m.bytes.forEach((x, i) => {
        if (m.at + i < b.length) b[m.at + i] = x;
      });
      return b;
    }
    case 'all':
      return m.parts.reduce((b, p) => mutate(p.kind === 'cut' ? b : Uint8Array.from(b), p), buf);
  }
}

/** Little-endian bytes of a u32 / u16 (for 'set' mutations). */
export const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
export const le16 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff];

const PDB_ALONE_BASE = 0x10000000n;
const IMAGE_BASE = 0x7ff600000000n;

interface Allow {
  /** The PDB is paired with its image: a corrupted GUID/age is PDB_MISMATCH. */
  mismatch?: boolean;
}

/** Why an error is not an acceptable answer to bad input, or undefined when it is. */
export function verdict(e: unknown, fileName: string, allow: Allow = {}): string | undefined {
  if (!(e instanceof DbgHelpError)) {
    const err = e as Error;
    const frames = (err?.stack ?? '')
      .split('\n')
      .slice(1, 5)
      .map((l) => l.trim())
      .join(' | ');
    return `${err?.name ?? typeof e}: ${err?.message ?? String(e)} [${frames}]`;
  }
  if (e.code === 'BAD_FORMAT') {
    if (!e.message.includes(fileName)) return `BAD_FORMAT does not name ${fileName}: ${e.message}`;
    if (!e.message.includes('offset')) return `BAD_FORMAT has no offset: ${e.message}`;
    return undefined;
  }
  if (e.code === 'PDB_MISMATCH' && allow.mismatch) return undefined;
  if (e.code === 'UNSUPPORTED' && /FASTLINK/.test(e.message)) return undefined;
  // A directory corrupted into a nil DBI stream reads as the compiler's types-only PDB, which
  // loadModule refuses as UNSUPPORTED (docs/API.md "Module status"), naming the file.
  if (e.code === 'UNSUPPORTED' && /has no DBI stream/.test(e.message) && e.message.includes(fileName)) return undefined;
  return `${e.code}: ${e.message}`;
}

let tmpDir: string | undefined;
function tmp(): string {
  if (!tmpDir) {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-pdb-fuzz-'));
    process.once('exit', () => fs.rmSync(tmpDir!, { recursive: true, force: true }));
  }
  return tmpDir;
}

export function cleanupTmp(): void {
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  tmpDir = undefined;
}

/** Runs one case; returns its problems (empty when every step behaved). */
export interface CaseResult {
  problems: string[];
  /** Steps that threw an acceptable error (BAD_FORMAT etc.), by step name without details. */
  rejected: string[];
}

export async function runCase(subject: Subject, original: Uint8Array, c: Case): Promise<CaseResult> {
  const label = `${subject.name}~${c.id}`.replace(/[^A-Za-z0-9._~-]/g, '_');
  const bytes = mutate(original, c.mutation);
  const problems: string[] = [];
  const rejected: string[] = [];
  const step = (what: string, fileName: string, allow: Allow, fn: () => unknown): boolean => {
    try {
      fn();
      return true;
    } catch (e) {
      const why = verdict(e, fileName, allow);
      if (why) problems.push(`${label} [${describe(c.mutation)}] step ${what}: ${why}`);
      else rejected.push(what.replace(/\(.*$/, ''));
      return false;
    }
  };
  const stepAsync = async (what: string, fileName: string, allow: Allow, fn: () => Promise<unknown>): Promise<boolean> => {
    try {
      await fn();
      return true;
    } catch (e) {
      const why = verdict(e, fileName, allow);
      if (why) problems.push(`${label} [${describe(c.mutation)}] step ${what}: ${why}`);
      else rejected.push(what.replace(/\(.*$/, ''));
      return false;
    }
  };

  // 1. The parsers, in memory.
  const memName = `${label}.pdb`;
  let pdb: PdbFile | undefined;
  if (step('new PdbFile', memName, {}, () => (pdb = new PdbFile(new BufferSource(bytes, memName))))) {
    const p = pdb!;
    step('modules', memName, {}, () => p.modules());
    step('sectionContribs', memName, {}, () => p.sectionContribs().moduleAt(1, 0));
    step('sectionMap', memName, {}, () => p.sectionMap());
    step('sectionHeaders', memName, {}, () => p.sectionHeaders());
    step('originalSectionHeaders', memName, {}, () => p.originalSectionHeaders());
    step('omapToSrc', memName, {}, () => p.omapToSrc()?.map(0x1000));
    step('omapFromSrc', memName, {}, () => p.omapFromSrc()?.map(0x1000));
    step('fpo', memName, {}, () => p.fpo());
    step('frameData', memName, {}, () => p.frameData());
    step('names', memName, {}, () => p.names());
    step('publics', memName, {}, () => p.publics());
    step('globals', memName, {}, () => p.globals());
    step('symbolRecords', memName, {}, () => p.symbolRecords().forEach(() => {}));
    let count = 0;
    step('modules (for symbols)', memName, {}, () => (count = p.modules().length));
    for (let i = 0; i < count; i++) step(`moduleSymbols(${i}).codeRanges`, memName, {}, () => p.moduleSymbols(i)?.codeRanges());
  }

  // 2. The public API, from a file.
  const file = path.join(tmp(), `${label}.pdb`);
  fs.writeFileSync(file, bytes);
  const fileName = path.basename(file);
  try {
    const variants: { what: string; load: (h: SymbolHandler) => Promise<bigint>; allow: Allow }[] = [];
    if (subject.imagePath) {
      const image = subject.imagePath;
      variants.push({ what: 'image+pdb', load: (h) => h.loadModule(image, { baseAddress: IMAGE_BASE, pdbPath: file }), allow: { mismatch: true } });
    }
    variants.push({ what: 'pdb alone', load: (h) => h.loadModule(file, { baseAddress: PDB_ALONE_BASE }), allow: {} });
    for (const v of variants) {
      const h = SymbolHandler.initialize();
      try {
        let base = 0n;
        const loaded = await stepAsync(`loadModule(${v.what})`, fileName, v.allow, async () => (base = await v.load(h)));
        if (!loaded) continue;
        for (const r of subject.rvas) step(`${v.what} fromAddr(rva 0x${r.toString(16)})`, fileName, {}, () => h.fromAddr(base + BigInt(r)));
        const mod = h.getModuleInfo(base)?.moduleName;
        for (const n of subject.names) {
          step(`${v.what} fromName(${n})`, fileName, {}, () => h.fromName(n));
          if (mod) step(`${v.what} fromName(${mod}!${n})`, fileName, {}, () => h.fromName(`${mod}!${n}`));
        }
        step(`${v.what} enumSymbols()`, fileName, {}, () => {
          for (const s of h.enumSymbols()) void s.name;
        });
      } finally {
        h.cleanup();
      }
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
  return { problems, rejected };
}

export function describe(m: Mutation): string {
  switch (m.kind) {
    case 'cut':
      return `truncated to ${m.length} bytes`;
    case 'flip':
      return `seed ${m.seed}, ${m.flips} flips in [0x${m.from.toString(16)}, 0x${m.to.toString(16)})`;
    case 'set':
      return `bytes ${m.bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')} at 0x${m.at.toString(16)}`;
    case 'all':
      return m.parts.map(describe).join(' + ');
  }
}
