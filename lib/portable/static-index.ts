/**
 * Function-static data of one module (S_LDATA32 nested in a procedure, e.g. the CRT's
 * `_OptionsStorage` in `__local_stdio_printf_options`), by PDB RVA, for SymFromAddr: Microsoft's
 * dbghelp.dll answers such an address with the static (tag Data, the record's name, its type's
 * size; corpus oracle crash.exe 0x63d8), where the linker leaves it out of the globals. Built
 * once per module from its stream (typed arrays and a copy of each record, so the stream is not
 * kept); enumeration does not list them (dbghelp.dll lists their publics).
 */
import { S } from '../formats/codeview/symbol-kinds';
import type { ModuleSymbols } from '../formats/pdb/module-symbols';

export interface StaticIndex {
  /** PDB RVAs, ascending (ties in stream order). */
  starts: Uint32Array;
  /** Stream offsets of the records. */
  records: Uint32Array;
  /** Where each record's copy (reclen, kind, data) starts in `copies`. */
  copyAt: Uint32Array;
  copies: Uint8Array;
}

const NONE = new Uint32Array(0);
export const NO_STATICS: StaticIndex = { starts: NONE, records: NONE, copyAt: NONE, copies: new Uint8Array(0) };

/**
 * `toPdbRva(section, offset)`: the record's PDB RVA, or undefined to leave it out: outside the
 * PDB's sections, or in code (unnamed S_LDATA32 in .text are switch tables, which dbghelp.dll
 * never answers: basic32.dll 0xde23 is UnDecorator::getBasicDataType+990 there).
 */
export function buildStaticIndex(ms: ModuleSymbols, toPdbRva: (section: number, offset: number) => number | undefined): StaticIndex {
  const starts: number[] = [];
  const records: number[] = [];
  // One walk: only records nested in a scope (a top-level S_LDATA32 is a file static, which the
  // globals list).
  ms.forEachNested((kind, offset) => {
    if (kind !== S.LDATA32) return;
    // DATASYM32: u32 type, u32 offset, u16 segment, name.
    const { data } = ms.symbols.recordAt(offset);
    data.skip(4);
    const off = data.u32();
    const at = toPdbRva(data.u16(), off);
    if (at === undefined || data.u8() === 0) return; // outside the data sections, or no name
    starts.push(at);
    records.push(offset);
  });
  if (!starts.length) return NO_STATICS;
  const order = starts.map((_, i) => i).sort((a, b) => starts[a] - starts[b] || a - b);
  const copyAt = new Uint32Array(order.length);
  let size = 0;
  order.forEach((k, i) => {
    copyAt[i] = size;
    size += ms.symbols.recordBytes(records[k]).length;
  });
  const copies = new Uint8Array(size);
  order.forEach((k, i) => copies.set(ms.symbols.recordBytes(records[k]), copyAt[i]));
  return { starts: Uint32Array.from(order, (k) => starts[k]), records: Uint32Array.from(order, (k) => records[k]), copyAt, copies };
}
