/**
 * dumpSyms: a Breakpad symbol file (.sym) from a PDB and, optionally, its image, written as it
 * is produced (never the whole text in memory), in the record formats and order of Breakpad's
 * DIA-based dump_syms (src/common/windows/pdb_source_line_writer.cc):
 *
 *   MODULE windows <x86|x86_64|arm64|arm> <GUID + age> <pdb name>
 *   INFO CODE_ID <TimeDateStamp %08X + SizeOfImage %X> <image name>     (with an image)
 *   INFO GENERATOR dbghelp <version>                                   (dump_syms writes none)
 *   FILE <id> <name>                 every module's source files, one id per distinct name
 *   FUNC [m] <rva> <size> <params> <name>, [its INLINE records,] its line records;
 *   PUBLIC [m] <rva> <params> <name> interleaved in the PDB's address order, one symbol per
 *                                    address (several records where OMAP split a range)
 *   STACK WIN / STACK CFI ...        from `stack` (default: dump_syms' own, stack-win.ts and
 *                                    stack-cfi.ts)
 *   INLINE_ORIGIN <id> <name>        with `inlines` (dump_syms writes them last too)
 *
 * One symbol per RVA, as dump_syms' MaybeRecordSymbol picks it: a function beats a public; among
 * functions, or among publics when no function is there, the least name wins (functions by their
 * own name, publics by decorated name) and the record gets `m`. A public is written only when it
 * is code (CVPSF_CODE). Zero-length functions are skipped. Names: lib/breakpad/names.ts.
 */
import * as path from 'path';
import type { Writable } from 'stream';
import { DbgHelpError } from '../api/errors';
import { breakpadCodeId, breakpadDebugId } from './ids';
import { undecorateSymbolName } from '../demangle';
import { PdbFile } from '../formats/pdb/pdb-file';
import { PeImage } from '../formats/pe/pe-image';
import { lastAtOrBelowIn } from '../formats/breakpad/columns';
import { breakpadName } from './names';
import { ModuleLines, PdbAddresses, pdbFunctions, pdbPublics, type PdbFunction, type PdbLines, type PdbPublic } from './pdb-symbols';
import { RecordWriter } from './record-writer';
import { inlineRecords, type InlineSite, type Line } from './inlines';
import { stackCfiRecords } from './stack-cfi';
import { stackWinRecords } from './stack-win';

export interface DumpContext {
  pdb: PdbFile;
  image: PeImage | undefined;
  arch: string;
  functions: readonly PdbFunction[];
  /** PDB RVA → final image ranges (OMAP), for records that must be mapped. */
  addresses: PdbAddresses;
}

export interface DumpSymsOptions {
  /** The PDB (a path, or an open PdbFile the caller keeps and closes). */
  pdb: string | PdbFile;
  /** The image the PDB describes, for INFO CODE_ID (a path or an open PeImage). */
  image?: string | PeImage;
  out: Writable;
  /** MODULE's debug file name; default the PDB file's base name (as DIA's symbolsFileName). */
  pdbName?: string;
  /** INFO GENERATOR's text; null writes no INFO GENERATOR. */
  generator?: string | null;
  /**
   * STACK WIN / STACK CFI records, written after FUNC and PUBLIC (the unwinders' seam): lines
   * without the newline. Default `defaultStackRecords` (dump_syms' own: STACK WIN from the
   * PDB's frame data for x86, STACK CFI from the image's .pdata for x64); null writes none.
   */
  stack?: ((ctx: DumpContext) => Iterable<string> | AsyncIterable<string>) | null;
  /**
   * Write zero-length line records (two line entries at one offset), as dump_syms did before
   * it began to drop them (2021); Breakpad's processor ignores them either way. Default false.
   */
  zeroLengthLines?: boolean;
  /**
   * INLINE and INLINE_ORIGIN records (dump_syms' inline handling): each function's inline sites
   * with their call sites, its line records split by the inlinees' lines, the origins after
   * everything else (where dump_syms writes them). Default false, as dump_syms without `-i`.
   */
  inlines?: boolean;
}

/** What was written. */
export interface DumpSymsResult {
  module: { os: 'windows'; arch: string; id: string; name: string };
  codeId: string | undefined;
  files: number;
  functions: number;
  lines: number;
  publics: number;
  inlines: number;
  stack: number;
}

const ARCH: Record<number, string> = { 0x14c: 'x86', 0x8664: 'x86_64', 0xaa64: 'arm64', 0x1c4: 'arm', 0x200: 'ia64' };

export async function dumpSyms(opts: DumpSymsOptions): Promise<DumpSymsResult> {
  const pdb = typeof opts.pdb === 'string' ? PdbFile.open(opts.pdb) : opts.pdb;
  let image: PeImage | undefined;
  try {
    image = typeof opts.image === 'string' ? PeImage.open(opts.image) : opts.image;
    return await write(pdb, image, opts);
  } finally {
    if (typeof opts.pdb === 'string') pdb.close();
    if (typeof opts.image === 'string') image?.close();
  }
}

async function write(pdb: PdbFile, image: PeImage | undefined, opts: DumpSymsOptions): Promise<DumpSymsResult> {
  if (pdb.info.fastLink) throw new DbgHelpError('UNSUPPORTED', `${pdb.name}: a /DEBUG:FASTLINK PDB keeps its symbols in the object files`);
  const w = new RecordWriter(opts.out);
  const arch = ARCH[pdb.machine] ?? 'unknown';
  const id = breakpadDebugId(pdb.info.guid, pdb.matchAge);
  const name = opts.pdbName ?? path.basename(pdb.name.replace(/\\/g, '/'));
  const result: DumpSymsResult = { module: { os: 'windows', arch, id, name }, codeId: undefined, files: 0, functions: 0, lines: 0, publics: 0, inlines: 0, stack: 0 };
  await w.line(`MODULE windows ${arch} ${id} ${name}`);
  if (image) {
    result.codeId = breakpadCodeId(image.timeDateStamp, image.sizeOfImage);
    await w.line(`INFO CODE_ID ${result.codeId} ${path.basename(image.fileName.replace(/\\/g, '/'))}`);
  }
  const generator = opts.generator === undefined ? `dbghelp ${version()}` : opts.generator;
  if (generator !== null) await w.line(`INFO GENERATOR ${generator}`);

  const addresses = new PdbAddresses(pdb);
  const { functions, fileIds } = pdbFunctions(pdb, addresses);
  const modules = new ModuleLines(pdb, addresses, fileIds, opts.zeroLengthLines ?? false, opts.inlines ?? false, functions);
  const origins = new Map<string, number>();
  const originId = (name: string): number => {
    let id = origins.get(name);
    if (id === undefined) origins.set(name, (id = origins.size));
    return id;
  };
  const files = fileIds.files;
  for (let i = 0; i < files.length; i++) await w.line(`FILE ${i + 1} ${files[i]}`);
  result.files = files.length;

  // In the PDB's own layout (dump_syms turns DIA's OMAP translation off), each record then
  // written once per piece of the final image it landed in (ImageMap; one piece without OMAP).
  for (const sel of selectSymbols(functions, pdbPublics(pdb, addresses))) {
    const rva = sel.rva;
    const m = sel.multiple ? 'm ' : '';
    if (sel.fn) {
      const f = sel.fn;
      if (f.length === 0) continue;
      const n = functionName(f, sel.decorated);
      for (const [at, size] of addresses.ranges(rva, f.length)) {
        await w.line(`FUNC ${m}${hex(at)} ${hex(size)} ${hex(n.parameterSize ?? f.stackParams)} ${n.name}`);
        result.functions++;
      }
      // Folded functions share an address: the lines are those of the module the linker kept
      // there (the section contribution), as DIA's findLinesByRVA answers.
      const owner = sel.multiple ? contributor(pdb, f) : f.module;
      const sites = opts.inlines ? modules.of(f.module).sites.get(f.record) : undefined;
      const lines = modules.of(owner).lines;
      if (sites?.length) result.inlines += await writeInlined(w, lines, f, sites, owner, addresses, originId, (n) => (result.lines += n));
      else result.lines += await writeLines(w, lines, rva, f.length, owner, addresses);
    } else if (sel.pub && sel.pub.code) {
      const n = breakpadName(sel.pub.decorated);
      for (const [at] of addresses.ranges(rva, 1)) {
        await w.line(`PUBLIC ${m}${hex(at)} ${hex(n.parameterSize && n.parameterSize > 0 ? n.parameterSize : 0)} ${n.name}`);
        result.publics++;
      }
    }
  }
  const stack = opts.stack === undefined ? defaultStackRecords : opts.stack;
  if (stack) {
    for await (const l of stack({ pdb, image, arch, functions, addresses })) {
      await w.line(l);
      result.stack++;
    }
  }
  for (const [name, id] of origins) await w.line(`INLINE_ORIGIN ${id} ${name}`);
  await w.end();
  return result;
}

/**
 * dump_syms' frame data: x86 (and any PDB with frame data) STACK WIN from the PDB
 * (stack-win.ts); x64 STACK CFI from the image's exception directory (stack-cfi.ts), none
 * without the image (dump_syms reads it from the executable, not the PDB).
 */
export function defaultStackRecords(ctx: DumpContext): Iterable<string> {
  if (ctx.arch === 'x86_64') return ctx.image ? stackCfiRecords(ctx.image) : [];
  return stackWinRecords(ctx.pdb, ctx.addresses);
}

interface Selected {
  rva: number;
  fn?: PdbFunction;
  pub?: PdbPublic;
  multiple: boolean;
  /** At a function: every public's decorated name there, in the publics' order. */
  decorated?: string[];
}

/**
 * dump_syms' MaybeRecordSymbol over functions then publics: one symbol per RVA, in RVA order.
 * Both lists are walked in RVA order side by side (index orders in typed arrays), one RVA at a
 * time: no table of every symbol is built.
 */
function* selectSymbols(functions: readonly PdbFunction[], publics: readonly PdbPublic[]): Generator<Selected> {
  const fo = byRva(functions);
  const po = byRva(publics);
  let i = 0;
  let k = 0;
  while (i < fo.length || k < po.length) {
    const rva = Math.min(i < fo.length ? functions[fo[i]].rva : Infinity, k < po.length ? publics[po[k]].rva : Infinity);
    const sel: Selected = { rva, multiple: false };
    for (; i < fo.length && functions[fo[i]].rva === rva; i++) {
      const f = functions[fo[i]];
      if (!sel.fn) sel.fn = f;
      else {
        sel.multiple = true;
        if (f.name < sel.fn.name) sel.fn = f;
      }
    }
    for (; k < po.length && publics[po[k]].rva === rva; k++) {
      const p = publics[po[k]];
      if (sel.fn) (sel.decorated ??= []).push(p.decorated);
      else if (!sel.pub) sel.pub = p;
      else {
        sel.multiple = true;
        if (p.decorated < sel.pub.decorated) sel.pub = p;
      }
    }
    yield sel;
  }
}

/** Indexes in RVA order (stable). */
function byRva(list: readonly { rva: number }[]): Uint32Array {
  const order = new Uint32Array(list.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => list[a].rva - list[b].rva || a - b);
}

/**
 * A function's name: with a public at its address, DIA's undecoratedNameEx answers from the
 * public's (decorated) name, and dump_syms cleans it up (breakpadName: `_main` gives `main`);
 * of several publics, the one naming this function. Without one, the record's own name as it is
 * (for internal functions, DIA's `static int f()` built from the types: dia-types.ts).
 */
function functionName(f: PdbFunction, decorated: string[] | undefined): { name: string; parameterSize: number | undefined } {
  if (decorated?.length) {
    const own =
      decorated.find((d) => undecorateSymbolName(d, 0x1000) === f.name) ??
      decorated.find((d) => loose(undecorateSymbolName(d, 0x1000)) === loose(f.name)) ??
      decorated.find((d) => breakpadName(d).name === f.name) ??
      decorated[0];
    return breakpadName(own);
  }
  return { name: f.signature ?? (f.name || '<name omitted>'), parameterSize: undefined };
}

/** A name compared without spaces and with the short spellings of special names. */
function loose(name: string): string {
  return name.replace(/ /g, '').replace(/dtor'/g, "destructor'").replace(/ctor'/g, "constructor'");
}

/** The line records of [rva, rva + length) in the function's own module: DIA's findLinesByRVA. */
async function writeLines(w: RecordWriter, lines: PdbLines, rva: number, length: number, module: number, addresses: PdbAddresses): Promise<number> {
  let k = lastAtOrBelowIn(lines.rva, undefined, 0, lines.rva.length, rva - 1) + 1;
  let n = 0;
  for (; k < lines.rva.length && lines.rva[k] < rva + length; k++) {
    if (lines.module[k] !== module) continue;
    for (const [at, size] of addresses.ranges(lines.rva[k], lines.length[k])) {
      await w.line(`${hex(at)} ${hex(size)} ${lines.line[k]} ${lines.file[k]}`);
      n++;
    }
  }
  return n;
}

/** A function with inline sites: its INLINE records, then its lines as the inlinees split them. */
async function writeInlined(
  w: RecordWriter,
  lines: PdbLines,
  f: PdbFunction,
  sites: InlineSite[],
  module: number,
  addresses: PdbAddresses,
  originId: (name: string) => number,
  countLines: (n: number) => void,
): Promise<number> {
  const base: Line[] = [];
  let k = lastAtOrBelowIn(lines.rva, undefined, 0, lines.rva.length, f.rva - 1) + 1;
  for (; k < lines.rva.length && lines.rva[k] < f.rva + f.length; k++) {
    if (lines.module[k] === module && lines.length[k] > 0) base.push({ rva: lines.rva[k], length: lines.length[k], line: lines.line[k], file: lines.file[k] });
  }
  const { records, lines: split } = inlineRecords(sites, base, originId);
  for (const r of records) {
    await w.line(`INLINE ${r.depth} ${r.callLine} ${r.callFile} ${r.origin} ${r.ranges.map(([a, n]) => `${hex(a)} ${hex(n)}`).join(' ')}`);
  }
  let n = 0;
  for (const l of split) {
    for (const [at, size] of addresses.ranges(l.rva, l.length)) {
      await w.line(`${hex(at)} ${hex(size)} ${l.line} ${l.file}`);
      n++;
    }
  }
  countLines(n);
  return records.length;
}

function contributor(pdb: PdbFile, f: PdbFunction): number {
  const m = pdb.sectionContribs().moduleAt(f.segment, f.offset);
  return m >= 0 ? m : f.module;
}

function hex(n: number): string {
  return n.toString(16);
}

function version(): string {
  try {
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return '0';
  }
}
