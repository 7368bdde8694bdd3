/**
 * `WalkModule.x86FrameInfo` from a PDB: the FRAMEDATA ("New FPO") records, whose programs are
 * /names strings, then the old FPO_DATA records. Records nest (a function's record, then one per
 * prolog step with a shorter block), so the lookup takes the record with the greatest start at
 * or below the RVA whose block holds it. Tables are sorted once, on first use.
 */
import { PdbFile } from '../formats/pdb/pdb-file';
import { X86FrameInfo } from './types';

/** Records looked at below the RVA before giving up (nesting is a few deep). */
const MAX_NESTING = 64;

interface Indexed {
  starts: Float64Array;
  infos: X86FrameInfo[];
}

function index(infos: X86FrameInfo[]): Indexed {
  infos.sort((a, b) => a.rvaStart - b.rvaStart || b.codeSize - a.codeSize);
  return { starts: Float64Array.from(infos, (i) => i.rvaStart), infos };
}

function lookup(t: Indexed, rva: number): X86FrameInfo | undefined {
  let lo = 0;
  let hi = t.starts.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (t.starts[mid] <= rva) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = best, n = 0; i >= 0 && n < MAX_NESTING; i--, n++) {
    const f = t.infos[i];
    if (rva < f.rvaStart + f.codeSize) return f;
  }
  return undefined;
}

/** A lookup over `pdb`'s frame data; reads the FPO streams on the first call. */
export function pdbX86FrameInfo(pdb: PdbFile): (rva: number) => X86FrameInfo | undefined {
  let tables: { frameData: Indexed; fpo: Indexed } | undefined;
  return (rva: number) => {
    if (!tables) {
      const names = pdb.names();
      const fd = pdb.frameData().map(
        (r): X86FrameInfo => ({
          kind: 'framedata',
          rvaStart: r.rvaStart,
          codeSize: r.blockSize,
          prologSize: r.prologSize,
          savedRegsSize: r.savedRegsSize,
          localsSize: r.localsSize,
          paramsSize: r.paramsSize,
          maxStackSize: r.maxStackSize,
          program: names ? names.get(r.frameFunc) : undefined,
          allocatesBasePointer: false,
          hasSeh: (r.flags & 1) !== 0,
        }),
      );
      const fpo = pdb.fpo().map(
        (r): X86FrameInfo => ({
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
        }),
      );
      tables = { frameData: index(fd), fpo: index(fpo) };
    }
    return lookup(tables.frameData, rva) ?? lookup(tables.fpo, rva);
  };
}
