/**
 * Which of several code records starting at one address (folded procedures: /OPT:ICF gives N
 * S_GPROC32/S_LPROC32 one address) Microsoft's dbghelp.dll 10.0.19041.685 names, found by
 * watching the DLL's qsort/bsearch calls and reading its code (evidence and experiments:
 * test/fixtures/folded/README.md):
 *
 * - a module whose symbols (ModInfo.SymByteSize, with the 4-byte signature) are under 1024 bytes
 *   is searched record by record: the first covering record in stream order wins;
 * - otherwise the DLL builds, once per module, an array of {section, offset, record}: first the
 *   top-level code records (S_*PROC32*, S_THUNK32, S_BLOCK32, S_TRAMPOLINE, S_SEPCODE: those of
 *   its list an x86/x64 PDB holds) whose length is not 0, in stream order, sorted with the CRT's
 *   qsort by (section, offset); then, on the first data lookup (which every SymFromAddr makes),
 *   every S_LDATA32/S_GDATA32 of the module, nested ones too, whose name is not empty, appended
 *   in stream order, and the whole array sorted again. Its bsearch compares an address with an
 *   entry and the next one ([start, next start)), so among entries of one address it always
 *   lands on the last: the record that the two unstable sorts leave last is the one named, and
 *   its inline sites are the ones walked.
 *
 * `dbghelpLeads` returns those records (stream offsets), one per address holding several code
 * records, or undefined when stream order decides (a small module, or no shared address).
 */
import { crtQsort } from './crt-qsort';
import { S, SymFamily, symFamily } from '../formats/codeview/symbol-kinds';
import type { ModuleSymbols } from '../formats/pdb/module-symbols';

/** Below this many symbol bytes dbghelp.dll scans the module's records instead of sorting them. */
export const SORTED_MODULE_BYTES = 0x400;

const TWO_32 = 0x100000000;

export function dbghelpLeads(ms: ModuleSymbols): Set<number> | undefined {
  if (ms.symByteSize < SORTED_MODULE_BYTES) return undefined;
  const keys: number[] = [];
  const records: number[] = [];
  ms.forEachTopLevel((kind, offset) => {
    const key = codeKey(ms, kind, offset);
    if (key === undefined) return;
    keys.push(key);
    records.push(offset);
  });
  if (!hasTies(keys)) return undefined;
  const codeCount = keys.length;
  const first = identity(codeCount);
  crtQsort(first, keys);
  ms.symbols.forEach((kind, offset) => {
    if (kind !== S.LDATA32 && kind !== S.GDATA32) return;
    // DATASYM32: u32 type, u32 offset, u16 segment, name (dbghelp.dll skips an empty one).
    const { data } = ms.symbols.recordAt(offset);
    if (data.remaining < 11) return;
    data.skip(4);
    const off = data.u32();
    const seg = data.u16();
    if (data.u8() === 0) return;
    keys.push(seg * TWO_32 + off);
    records.push(offset);
  });
  const all = new Uint32Array(keys.length);
  all.set(first);
  for (let i = codeCount; i < keys.length; i++) all[i] = i;
  crtQsort(all, keys);
  const leads = new Set<number>();
  for (let i = 0; i < all.length; i++) {
    const id = all[i];
    const last = i + 1 === all.length || keys[all[i + 1]] !== keys[id];
    const shared = (i > 0 && keys[all[i - 1]] === keys[id]) || !last;
    if (last && shared && id < codeCount) leads.add(records[id]);
  }
  return leads;
}

/** section * 2^32 + offset of a code record dbghelp.dll puts in its array, or undefined. */
function codeKey(ms: ModuleSymbols, kind: number, offset: number): number | undefined {
  const fam = symFamily(kind);
  if (fam !== SymFamily.Proc && fam !== SymFamily.Thunk && fam !== SymFamily.Block && fam !== SymFamily.Trampoline && fam !== SymFamily.SepCode) return undefined;
  const { data } = ms.symbols.recordAt(offset);
  let length: number;
  let off: number;
  let section: number;
  if (fam === SymFamily.Proc) {
    // PROCSYM32: pParent pEnd pNext len DbgStart DbgEnd typind off seg
    data.skip(12);
    length = data.u32();
    data.skip(12);
    off = data.u32();
    section = data.u16();
  } else if (fam === SymFamily.Thunk) {
    // THUNKSYM32: pParent pEnd pNext off seg len
    data.skip(12);
    off = data.u32();
    section = data.u16();
    length = data.u16();
  } else if (fam === SymFamily.Block) {
    // BLOCKSYM32: pParent pEnd len off seg
    data.skip(8);
    length = data.u32();
    off = data.u32();
    section = data.u16();
  } else if (fam === SymFamily.Trampoline) {
    // TRAMPOLINESYM: trampType cbThunk offThunk offTarget sectThunk
    data.skip(2);
    length = data.u16();
    off = data.u32();
    data.skip(4);
    section = data.u16();
  } else {
    // SEPCODESYM: pParent pEnd length scf off offParent sect
    data.skip(8);
    length = data.u32();
    data.skip(4);
    off = data.u32();
    data.skip(4);
    section = data.u16();
  }
  return length > 0 ? section * TWO_32 + off : undefined;
}

function hasTies(keys: number[]): boolean {
  const seen = new Set<number>();
  for (const k of keys) {
    if (seen.has(k)) return true;
    seen.add(k);
  }
  return false;
}

function identity(n: number): Uint32Array {
  const ids = new Uint32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  return ids;
}
