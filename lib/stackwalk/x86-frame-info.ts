/**
 * `WalkModule.x86FrameInfo` from a PDB: the FRAMEDATA ("New FPO") records, whose programs are
 * /names strings, then the old FPO_DATA records. Records nest (a function's record, then one per
 * prolog step with a shorter block), so the lookup takes the record with the greatest start at
 * or below the RVA whose block holds it. Tables are sorted once, on first use.
 */
import { PdbFile } from '../formats/pdb/pdb-file';
import { X86FrameInfo } from './types';
import { lastAtOrBelow } from '../formats/binary/search';

/** Records looked at below the RVA before giving up (nesting is a few deep). */
const MAX_NESTING = 64;

interface Indexed {
  starts: Float64Array;
  infos: X86FrameInfo[];
}

/**
 * Sorted by start, then longest block first, then (same start and size: duplicates, which
 * crash.pdb has) later records first, so the lookup's last candidate is the innermost block
 * and, among duplicates, the first record (the one DIA answers).
 */
function index(infos: X86FrameInfo[]): Indexed {
  const order = infos.map((_, i) => i);
  order.sort((a, b) => infos[a].rvaStart - infos[b].rvaStart || infos[b].codeSize - infos[a].codeSize || b - a);
  const sorted = order.map((i) => infos[i]);
  return { starts: Float64Array.from(sorted, (i) => i.rvaStart), infos: sorted };
}

function lookup(t: Indexed, rva: number): X86FrameInfo | undefined {
  const best = lastAtOrBelow(t.starts, rva);
  for (let i = best, n = 0; i >= 0 && n < MAX_NESTING; i--, n++) {
    const f = t.infos[i];
    if (rva < f.rvaStart + f.codeSize) return f;
  }
  return undefined;
}

/** A lookup over `pdb`'s frame data (FRAMEDATA first, then FPO_DATA); reads the FPO streams on the first call. */
export function pdbX86FrameInfo(pdb: PdbFile): (rva: number) => X86FrameInfo | undefined {
  const t = pdbX86FrameTables(pdb);
  return (rva) => t.frameData(rva) ?? t.fpo(rva);
}

/** The two tables apart (FRAMEDATA, FPO_DATA), for callers and tests that want one kind. */
export function pdbX86FrameTables(pdb: PdbFile): { frameData(rva: number): X86FrameInfo | undefined; fpo(rva: number): X86FrameInfo | undefined } {
  let tables: { frameData: Indexed; fpo: Indexed } | undefined;
  const load = () => {
    if (!tables) {
      const { frameData, fpo } = pdbFrameRecords(pdb);
      tables = { frameData: index(frameData), fpo: index(fpo) };
    }
    return tables;
  };
  return { frameData: (rva) => lookup(load().frameData, rva), fpo: (rva) => lookup(load().fpo, rva) };
}

/**
 * The PDB's x86 frame data as X86FrameInfo records, in stream order: FRAMEDATA ("New FPO Data",
 * with its program from /names) and FPO_DATA (counts in DWORDs turned into bytes). The walker
 * indexes them; dump-syms writes them as STACK WIN records.
 */
export function pdbFrameRecords(pdb: PdbFile): { frameData: X86FrameInfo[]; fpo: X86FrameInfo[] } {
  const names = pdb.frameData().length ? pdb.names() : undefined;
  const frameData = pdb.frameData().map((r): X86FrameInfo => ({
    kind: 'framedata',
    rvaStart: r.rvaStart,
    codeSize: r.blockSize,
    prologSize: r.prologSize,
    savedRegsSize: r.savedRegsSize,
    localsSize: r.localsSize,
    paramsSize: r.paramsSize,
    maxStackSize: r.maxStackSize,
    program: names?.get(r.frameFunc),
    allocatesBasePointer: false,
    hasSeh: (r.flags & 1) !== 0,
  }));
  const fpo = pdb.fpo().map((r): X86FrameInfo => ({
    kind: 'fpo',
    rvaStart: r.start,
    codeSize: r.size,
    prologSize: r.prolog,
    savedRegsSize: r.savedRegs * 4,
    localsSize: r.locals * 4,
    paramsSize: r.params * 4,
    allocatesBasePointer: r.useBp,
    hasSeh: r.hasSeh,
    fpoFrameType: r.frameType,
  }));
  return { frameData, fpo };
}
