/**
 * STACK WIN records (x86) from a PDB's frame data, as Breakpad's DIA-based dump_syms writes them
 * (pdb_source_line_writer.cc, PrintFrameDataUsingPDB):
 *
 *   STACK WIN <type> <rva> <code_size> <prologue_size> 0 <parameter_size> <saved_register_size>
 *             <local_size> <max_stack_size> <has_program_string> <program_string | allocates_bp>
 *
 * all numbers lower-case hex but the two flags. What DIA's IDiaEnumFrameData answers and
 * dump_syms keeps:
 * - the FRAMEDATA ("New FPO", DBI debug stream 5) records, type 4, each with its program string
 *   from /names as stored (double spaces and a trailing space kept), then the old FPO_DATA
 *   records (stream 0), type 0, with no program: `0 <fUseBP>` and max_stack_size 0; FPO sizes
 *   are in dwords on disk (cdwLocals, cdwParams, cbRegs registers) and DIA answers bytes;
 * - each table in RVA order (a stable sort: records at one RVA keep their stream order);
 * - a record equal to the one before in type, RVA, block size and prolog size is dropped (DIA
 *   returns runs of identical records: dump_syms' "surprisingly common" check);
 * - epilogue_size is always 0 (dump_syms writes a literal 0);
 * - a reordered image (OMAP): the prolog and the rest of the block are mapped apart
 *   (MapAddressRange); one record when both land in one piece each, adjacent, else one record
 *   per prolog piece (prologue_size = its length) and one per code piece (prologue_size 0).
 */
import type { PdbFile } from '../formats/pdb/pdb-file';
import { pdbFrameRecords } from '../stackwalk/x86-frame-info';
import type { X86FrameInfo } from '../stackwalk/types';
import type { PdbAddresses } from './pdb-symbols';

/** One frame-data record as DIA answers it (sizes in bytes). */
export interface DiaFrameData {
  type: 0 | 4;
  rva: number;
  codeSize: number;
  prologSize: number;
  paramsSize: number;
  savedRegsSize: number;
  localsSize: number;
  maxStackSize: number;
  program: string | undefined;
  allocatesBasePointer: boolean;
}

/** The PDB's frame data in DIA's enumeration order (FRAMEDATA by RVA, then FPO_DATA by RVA). */
export function diaFrameData(pdb: PdbFile): DiaFrameData[] {
  const { frameData, fpo } = pdbFrameRecords(pdb);
  const dia = (r: X86FrameInfo): DiaFrameData => ({
    type: r.kind === 'framedata' ? 4 : 0,
    rva: r.rvaStart,
    codeSize: r.codeSize,
    prologSize: r.prologSize,
    paramsSize: r.paramsSize,
    savedRegsSize: r.savedRegsSize,
    localsSize: r.localsSize,
    maxStackSize: r.maxStackSize ?? 0,
    program: r.program,
    allocatesBasePointer: r.allocatesBasePointer,
  });
  const fd = frameData.map(dia);
  const fpoRecords = fpo.map(dia);
  const byRva = (a: DiaFrameData, b: DiaFrameData) => a.rva - b.rva;
  return [...fd.sort(byRva), ...fpoRecords.sort(byRva)];
}

/** The STACK WIN lines (without newlines) dump_syms writes for `pdb`. */
export function* stackWinRecords(pdb: PdbFile, addresses: PdbAddresses): Generator<string> {
  let last: DiaFrameData | undefined;
  for (const f of diaFrameData(pdb)) {
    if (last && f.type === last.type && f.rva === last.rva && f.codeSize === last.codeSize && f.prologSize === last.prologSize) continue;
    last = f;
    for (const [rva, size, prolog] of pieces(addresses, f)) yield stackWinLine(f, rva, size, prolog);
  }
}

/** dump_syms' split of a block by the image map: [rva, code size, prolog size] per piece. */
function pieces(addresses: PdbAddresses, f: DiaFrameData): [number, number, number][] {
  const prolog = f.prologSize > 0 ? addresses.ranges(f.rva, f.prologSize) : [];
  // code_size - prolog_size is a DWORD subtraction in dump_syms; a prolog longer than its block
  // (corrupt data) leaves no code range here instead of a 4 GiB one.
  const rest = Math.max(0, f.codeSize - f.prologSize);
  const code = addresses.ranges(f.rva + f.prologSize, rest);
  if (prolog.length === 1 && code.length === 1 && prolog[0][0] + prolog[0][1] === code[0][0]) {
    return [[prolog[0][0], prolog[0][1] + code[0][1], prolog[0][1]]];
  }
  return [...prolog.map(([r, n]): [number, number, number] => [r, n, n]), ...code.map(([r, n]): [number, number, number] => [r, n, 0])];
}

export function stackWinLine(f: DiaFrameData, rva: number, codeSize: number, prologSize: number): string {
  const h = (n: number) => (n >>> 0).toString(16);
  const head = `STACK WIN ${f.type} ${h(rva)} ${h(codeSize)} ${h(prologSize)} 0 ${h(f.paramsSize)} ${h(f.savedRegsSize)} ${h(f.localsSize)} ${h(f.maxStackSize)}`;
  return f.program !== undefined ? `${head} 1 ${f.program}` : `${head} 0 ${f.allocatesBasePointer ? 1 : 0}`;
}
