/**
 * x86 frame data for the stack walker, from a PDB's FPO stream (FPO_DATA, 16 bytes each) and
 * "New FPO" stream (FRAMEDATA, 32 bytes each; formats/pdb/fpo.ts reads both), as X86FrameInfo
 * (stackwalk/types.ts). Indexed on first use; a lookup is a binary search.
 *
 * Units: FPO_DATA counts locals and parameters in DWORDs and saved registers as a count; they
 * are given here in bytes (x4), as FRAMEDATA gives them. FRAMEDATA has no "allocates base
 * pointer" bit: it is true when the frame program assigns $ebp. FRAMEDATA wins over FPO_DATA
 * for an RVA both cover (it is the newer, richer record, and what DIA answers first); among
 * FRAMEDATA blocks covering an RVA, the one starting last (the innermost) wins, and among
 * records with the same start the first in the stream (crash.pdb has five at 0x3250).
 * RVAs are the PDB's: for an image reordered after linking (OMAP) they are not translated.
 */
import type { X86FrameInfo } from '../stackwalk/types';
import type { PdbFile } from '../formats/pdb/pdb-file';

interface Block {
  start: number;
  end: number;
  make(): X86FrameInfo;
}

export class X86FrameIndex {
  private blocks: { frame: Block[]; fpo: Block[] } | undefined;

  constructor(private readonly pdb: PdbFile) {}

  private index(): { frame: Block[]; fpo: Block[] } {
    if (this.blocks) return this.blocks;
    const names = this.pdb.names();
    const frame: Block[] = this.pdb.frameData().map((f) => ({
      start: f.rvaStart,
      end: f.rvaStart + f.blockSize,
      make: () => {
        const program = names?.get(f.frameFunc);
        return {
          kind: 'framedata',
          rvaStart: f.rvaStart,
          codeSize: f.blockSize,
          prologSize: f.prologSize,
          savedRegsSize: f.savedRegsSize,
          localsSize: f.localsSize,
          paramsSize: f.paramsSize,
          maxStackSize: f.maxStackSize,
          program,
          allocatesBasePointer: program !== undefined && assignsEbp(program),
          hasSeh: (f.flags & 1) !== 0,
        };
      },
    }));
    const fpo: Block[] = this.pdb.fpo().map((f) => ({
      start: f.start,
      end: f.start + f.size,
      make: () => ({
        kind: 'fpo',
        rvaStart: f.start,
        codeSize: f.size,
        prologSize: f.prolog,
        savedRegsSize: f.savedRegs * 4,
        localsSize: f.locals * 4,
        paramsSize: f.params * 4,
        allocatesBasePointer: f.useBp,
        hasSeh: f.hasSeh,
        fpoFrameType: f.frameType,
      }),
    }));
    // Stable: blocks with the same start keep their stream order.
    const byStart = (a: Block, b: Block) => a.start - b.start;
    frame.sort(byStart);
    fpo.sort(byStart);
    this.blocks = { frame, fpo };
    return this.blocks;
  }

  /** The frame data covering an RVA, or undefined. */
  at(rva: number): X86FrameInfo | undefined {
    const { frame, fpo } = this.index();
    return (covering(frame, rva) ?? covering(fpo, rva))?.make();
  }
}

/** The block starting last at or before rva that still covers it (blocks sorted by start). */
function covering(blocks: Block[], rva: number): Block | undefined {
  let lo = 0;
  let hi = blocks.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (blocks[mid].start <= rva) {
      last = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Walk back over earlier starts: an outer block may cover what a later, shorter one does not.
  for (let i = last; i >= 0 && i > last - 64; i--) {
    if (rva >= blocks[i].end) continue;
    // Several records with one start (identical functions folded by the linker): the first in
    // stream order, as DIA (and Breakpad's dump_syms) answer.
    let first = i;
    while (first > 0 && blocks[first - 1].start === blocks[i].start && rva < blocks[first - 1].end) first--;
    return blocks[first];
  }
  return undefined;
}

/** Whether a FRAMEDATA postfix program assigns $ebp (a statement `$ebp <expr> =`). */
export function assignsEbp(program: string): boolean {
  let first: string | undefined;
  for (const tok of program.trim().split(/\s+/)) {
    if (first === undefined) first = tok;
    if (tok === '=') {
      if (first === '$ebp') return true;
      first = undefined;
    }
  }
  return false;
}
