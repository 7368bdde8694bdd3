/**
 * What dump_syms writes, read from a PDB through lib/formats/pdb (DIA's view of it, as far as
 * Breakpad's writer uses it):
 * - functions: every module's top-level procedures (S_GPROC32, S_LPROC32 and their _ID/_DPC
 *   variants: DIA's SymTagFunction children of the global scope), with RVA and length;
 * - publics: every S_PUB32 with its decorated name; code (DIA's get_code) when flagged
 *   CVPSF_CODE/CVPSF_FUNCTION or in a code section (old PDBs flag asm labels 0);
 * - lines: every module's C13 line entries, hidden ones (0xfeefee, 0xf00f00) included as DIA
 *   reports them, each with DIA's length: up to the next entry of its line section (by
 *   offset), the last one to the section's end; kept in typed arrays sorted by RVA;
 * - files: every module's DEBUG_S_FILECHKSMS names, in module order, one id per distinct name.
 * Addresses are RVAs of the PDB's layout (its original section headers); PdbAddresses.ranges
 * maps them to the final image when it was reordered.
 */

import { readC13, readFileChecksums } from '../formats/codeview/c13-lines';
import { splitDebugSubsections } from '../formats/codeview/debug-subsections';
import { isIdProc, S, SymFamily, symFamily } from '../formats/codeview/symbol-kinds';
import { diaSignature, x86StackParamSize } from './dia-types';
import { CVPSF_CODE, CVPSF_FUNCTION, readProc, readPublic } from '../formats/codeview/symbol-records';
import type { PdbFile } from '../formats/pdb/pdb-file';
import type { StreamScratch } from '../formats/msf/msf-file';
import { ImageMap } from './image-map';
import { siteLines, type InlineSite } from './inlines';
import { PdbInlines } from '../portable/features/inline-chain';
import { PdbProvider } from '../portable/pdb-provider';
import type { SectionHeader } from '../formats/pe/section-header';
import { Column, f64, u32 } from '../formats/breakpad/columns';

export interface PdbFunction {
  rva: number;
  length: number;
  /** The procedure record's own name (undecorated for MSVC). */
  name: string;
  /** S_LPROC32*: a function with internal linkage. */
  local: boolean;
  module: number;
  /** Offset of the record in the module stream. */
  record: number;
  segment: number;
  offset: number;
  /** x86: the stack parameter size DIA's data children give (dump_syms' fallback). */
  stackParams: number;
  /** Internal functions: DIA's type-built name (`static int f()`), used when no public names it. */
  signature: string | undefined;
}

export interface PdbPublic {
  rva: number;
  decorated: string;
  code: boolean;
}

/**
 * PDB section:offset → RVA in the PDB's (original) layout, and the map from there to the final
 * image when the image was reordered (ImageMap; undefined otherwise).
 */
export class PdbAddresses {
  private readonly sections: readonly SectionHeader[];
  readonly imageMap: ImageMap | undefined;

  constructor(pdb: PdbFile) {
    this.sections = pdb.originalSectionHeaders() ?? pdb.sectionHeaders() ?? [];
    const length = this.sections.reduce((n, s) => Math.max(n, s.virtualAddress + s.virtualSize), 0);
    this.imageMap = ImageMap.build(pdb.omapToSrc(), pdb.omapFromSrc(), length);
  }

  rva(segment: number, offset: number): number | undefined {
    const s = this.sections[segment - 1];
    return s ? s.virtualAddress + offset : undefined;
  }

  /** Is the section code (IMAGE_SCN_CNT_CODE or IMAGE_SCN_MEM_EXECUTE)? */
  isCode(segment: number): boolean {
    const s = this.sections[segment - 1];
    return s !== undefined && (s.characteristics & 0x20000020) !== 0;
  }

  /** Where the original range [rva, rva + length) is in the final image: one piece or more. */
  ranges(rva: number, length: number): [number, number][] {
    return this.imageMap ? this.imageMap.ranges(rva, length) : [[rva, length]];
  }
}

export function pdbPublics(pdb: PdbFile, at: PdbAddresses): PdbPublic[] {
  const pubs = pdb.publics();
  if (!pubs) return [];
  const records = pdb.symbolRecords();
  const out: PdbPublic[] = [];
  for (const offset of pubs.addressMap) {
    const p = readPublic(records.recordAt(offset).data);
    const rva = at.rva(p.segment, p.offset);
    if (rva !== undefined) out.push({ rva, decorated: p.name, code: (p.flags & (CVPSF_CODE | CVPSF_FUNCTION)) !== 0 || at.isCode(p.segment) });
  }
  return out;
}

const LOCAL_PROCS = new Set<number>([S.LPROC32, S.LPROC32_ID, S.LPROC32_DPC, S.LPROC32_DPC_ID]);

/** Source lines of a module, sorted by RVA. */
export interface PdbLines {
  rva: Float64Array;
  length: Uint32Array;
  line: Uint32Array;
  /** FILE id (1-based, into `files`). */
  file: Uint32Array;
  /** The module whose line table holds it (folded functions share addresses, not lines). */
  module: Uint32Array;
  files: string[];
}

/** FILE ids: every module's checksum names, in module order, one id (from 1) per distinct name. */
export class FileIds {
  readonly files: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly names: ReturnType<PdbFile['names']>;

  constructor(pdb: PdbFile) {
    this.names = pdb.names();
  }

  idOf(nameOffset: number): number {
    const name = this.names ? this.names.get(nameOffset) : `<names offset ${nameOffset}>`;
    let id = this.ids.get(name);
    if (id === undefined) {
      this.files.push(name);
      id = this.files.length;
      this.ids.set(name, id);
    }
    return id;
  }
}

/**
 * One pass over the modules: their functions, and the FILE ids of their checksums. Lines and
 * inline sites are read per module when written (ModuleLines), not kept for the whole PDB.
 */
export function pdbFunctions(pdb: PdbFile, at: PdbAddresses): { functions: PdbFunction[]; fileIds: FileIds } {
  const functions: PdbFunction[] = [];
  const fileIds = new FileIds(pdb);
  const x86 = pdb.machine === 0x14c;
  // The type stream (often the PDB's biggest) only when a name or x86 parameter size needs it.
  let tpiRead = false;
  let tpiStream: ReturnType<PdbFile['tpi']>;
  const tpi = (): ReturnType<PdbFile['tpi']> => (tpiRead ? tpiStream : ((tpiRead = true), (tpiStream = pdb.tpi())));
  // One buffer for every module stream in turn (nothing below keeps a view of it).
  const scratch: StreamScratch = { buf: new Uint8Array(0) };
  for (const m of pdb.modules()) {
    const ms = pdb.readModuleSymbols(m.index, scratch);
    if (!ms) continue;
    ms.forEachTopLevel((kind, offset) => {
      if (symFamily(kind) !== SymFamily.Proc) return;
      const p = readProc(ms.symbols.recordAt(offset).data);
      const start = at.rva(p.segment, p.offset);
      if (start === undefined) return;
      const local = LOCAL_PROCS.has(kind);
      functions.push({
        rva: start,
        length: p.length,
        name: p.name,
        local,
        module: m.index,
        record: offset,
        segment: p.segment,
        offset: p.offset,
        stackParams: x86 ? x86StackParamSize(ms, offset, p.end, tpi(), p.typeIndex) : 0,
        signature: local && !isIdProc(kind) ? signature(tpi(), p.name, p.typeIndex) : undefined,
      });
    });
    if (!m.c13ByteSize) continue;
    const split = splitDebugSubsections(ms.c13Block(m.c11ByteSize, m.c13ByteSize), false);
    if (split.checksums) for (const k of readFileChecksums(split.checksums)) fileIds.idOf(k.nameOffset);
  }
  return { functions, fileIds };
}

function signature(tpi: ReturnType<PdbFile['tpi']>, name: string, typeIndex: number): string | undefined {
  return tpi && tpi.count > 0 && (typeIndex === 0 || tpi.has(typeIndex)) ? diaSignature(tpi, name, typeIndex) : undefined;
}

/** A module's line records (sorted by RVA) and, with inline handling, its procedures' inline sites. */
export interface ModuleDigest {
  lines: PdbLines;
  /** Procedure record offset → its inline sites, stream order. */
  sites: Map<number, InlineSite[]>;
}

/**
 * Modules' lines and inline sites, read when first asked for and kept for the last MODULE_CACHE
 * modules: written in address order, a module's functions mostly come together (the linker lays
 * out one object's code at a time), so each module is read about once and only a few are held.
 */
export class ModuleLines {
  private readonly cache = new Map<number, ModuleDigest>();
  private readonly byModule = new Map<number, PdbFunction[]>();
  /** Module streams are read into one buffer: a digest keeps no view of it. */
  private readonly scratch: StreamScratch = { buf: new Uint8Array(0) };
  /** Modules digested (more than the module count when the layout interleaves them). */
  reads = 0;
  /** The inline-frame engine's name resolution, for cross-module inlinee ids (made on first need). */
  private crossScope: PdbInlines | undefined;

  constructor(
    private readonly pdb: PdbFile,
    private readonly at: PdbAddresses,
    private readonly fileIds: FileIds,
    private readonly zeroLength: boolean,
    private readonly inlines: boolean,
    functions: readonly PdbFunction[],
  ) {
    if (inlines) {
      for (const f of functions) {
        const l = this.byModule.get(f.module);
        if (l) l.push(f);
        else this.byModule.set(f.module, [f]);
      }
    }
  }

  of(module: number): ModuleDigest {
    let d = this.cache.get(module);
    if (d) {
      this.cache.delete(module);
    } else {
      d = this.digest(module);
      if (this.cache.size >= MODULE_CACHE) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(module, d);
    return d;
  }

  private digest(index: number): ModuleDigest {
    this.reads++;
    const rva = f64();
    const length = u32();
    const line = u32();
    const file = u32();
    const mod = u32();
    const sites = new Map<number, InlineSite[]>();
    const m = this.pdb.modules()[index];
    const ms = m && m.c13ByteSize ? this.pdb.readModuleSymbols(index, this.scratch) : undefined;
    if (ms) {
      const idOf = (nameOffset: number): number => this.fileIds.idOf(nameOffset);
      const c13 = readC13(ms.c13Block(m.c11ByteSize, m.c13ByteSize), true);
      if (this.inlines) {
        const byRecord = new Map((this.byModule.get(index) ?? []).map((f) => [f.record, f]));
        const crossScopeName = (id: number): string | undefined => {
          // Resolved as the inline-frame engine resolves it: the importing module's
          // DEBUG_S_CROSSSCOPEIMPORTS, then the exporter's DEBUG_S_CROSSSCOPEEXPORTS.
          try {
            this.crossScope ??= new PdbInlines(new PdbProvider(this.pdb, undefined, this.pdb.machine));
            return this.crossScope.name(index, id).name;
          } catch {
            return undefined;
          }
        };
        for (const [record, list] of siteLines(this.pdb, ms, ms.c13Block(m.c11ByteSize, m.c13ByteSize), (r) => byRecord.get(r)?.rva, idOf, crossScopeName)) {
          if (byRecord.has(record)) sites.set(record, list);
        }
      }
      for (const s of c13.sections) addSection(s, this.at, idOf, rva, length, line, file, this.zeroLength);
      while (mod.length < rva.length) mod.push(index);
    }
    return { lines: sortLines(rva, length, line, file, mod, this.fileIds.files), sites };
  }
}

const MODULE_CACHE = 2;

function addSection(
  s: { section: number; offset: number; length: number; offsets: number[]; lines: number[]; files: number[] },
  at: PdbAddresses,
  idOf: (nameOffset: number) => number,
  rva: Column<Float64Array>,
  length: Column<Uint32Array>,
  line: Column<Uint32Array>,
  file: Column<Uint32Array>,
  zeroLength: boolean,
): void {
  const order = s.offsets.map((_, i) => i).sort((a, b) => s.offsets[a] - s.offsets[b] || a - b);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const end = k + 1 < order.length ? s.offsets[order[k + 1]] : s.length;
    const len = end - s.offsets[i];
    if (len < 0 || (len === 0 && !zeroLength)) continue; // DIA's zero-length lines: today's dump_syms drops them
    const start = at.rva(s.section, s.offset + s.offsets[i]);
    if (start === undefined) continue;
    rva.push(start);
    length.push(len);
    line.push(s.lines[i]);
    file.push(idOf(s.files[i]));
  }
}

function sortLines(rva: Column<Float64Array>, length: Column<Uint32Array>, line: Column<Uint32Array>, file: Column<Uint32Array>, mod: Column<Uint32Array>, files: string[]): PdbLines {
  const r = rva.view();
  const n = r.length;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => r[a] - r[b] || a - b);
  const out: PdbLines = { rva: new Float64Array(n), length: new Uint32Array(n), line: new Uint32Array(n), file: new Uint32Array(n), module: new Uint32Array(n), files };
  const md = mod.view();
  const l = length.view();
  const ln = line.view();
  const f = file.view();
  for (let k = 0; k < n; k++) {
    const i = order[k];
    out.rva[k] = r[i];
    out.length[k] = l[i];
    out.line[k] = ln[i];
    out.file[k] = f[i];
    out.module[k] = md[i];
  }
  return out;
}
