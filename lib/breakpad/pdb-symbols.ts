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

import { readC13 } from '../formats/codeview/c13-lines';
import { isIdProc, S, SymFamily, symFamily } from '../formats/codeview/symbol-kinds';
import { diaSignature, x86StackParamSize } from './dia-types';
import { CVPSF_CODE, CVPSF_FUNCTION, readProc, readPublic } from '../formats/codeview/symbol-records';
import type { PdbFile } from '../formats/pdb/pdb-file';
import { ImageMap } from './image-map';
import { siteLines, type InlineSite } from './inlines';
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
  /** With inline handling: the function's inline sites (inlines.ts), stream order. */
  inlineSites?: InlineSite[];
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

/** Source lines of the whole PDB, sorted by RVA. */
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

/** One pass over the modules: their functions and their lines. */
export function pdbFunctionsAndLines(pdb: PdbFile, at: PdbAddresses, zeroLength = false, inlines = false): { functions: PdbFunction[]; lines: PdbLines } {
  const functions: PdbFunction[] = [];
  const rva = f64();
  const length = u32();
  const line = u32();
  const file = u32();
  const mod = u32();
  const fileIds = new Map<string, number>();
  const files: string[] = [];
  const names = pdb.names();
  const x86 = pdb.machine === 0x14c;
  const tpi = pdb.tpi();
  for (const m of pdb.modules()) {
    const ms = pdb.readModuleSymbols(m.index);
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
        stackParams: x86 ? x86StackParamSize(ms, offset, p.end, tpi, p.typeIndex) : 0,
        signature: local && !isIdProc(kind) && tpi && tpi.count > 0 && (p.typeIndex === 0 || tpi.has(p.typeIndex)) ? diaSignature(tpi, p.name, p.typeIndex) : undefined,
      });
    });
    if (!m.c13ByteSize) continue;
    const c13 = readC13(ms.c13Block(m.c11ByteSize, m.c13ByteSize), true);
    const idOf = (nameOffset: number): number => {
      const name = names ? names.get(nameOffset) : `<names offset ${nameOffset}>`;
      let id = fileIds.get(name);
      if (id === undefined) {
        files.push(name);
        id = files.length;
        fileIds.set(name, id);
      }
      return id;
    };
    for (const k of c13.checksums) idOf(k.nameOffset);
    if (inlines) {
      const mine = functions.filter((f) => f.module === m.index);
      const byRecord = new Map(mine.map((f) => [f.record, f]));
      const sites = siteLines(pdb, ms, ms.c13Block(m.c11ByteSize, m.c13ByteSize), (r) => byRecord.get(r)?.rva, idOf);
      for (const [record, list] of sites) {
        const f = byRecord.get(record);
        if (f) f.inlineSites = list;
      }
    }
    for (const s of c13.sections) addSection(s, at, idOf, rva, length, line, file, zeroLength);
    while (mod.length < rva.length) mod.push(m.index);
  }
  return { functions, lines: sortLines(rva, length, line, file, mod, files) };
}

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


