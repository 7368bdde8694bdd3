/**
 * The address indexes of one PDB module, built from its symbol stream, which is not kept
 * afterwards (each entry keeps a copy of its record, decoded on a hit):
 * - code: its top-level procedures, thunks and trampolines by PDB RVA (ties in stream order,
 *   but for the one Microsoft's dbghelp.dll names, first: folded-procs.ts), for "which
 *   procedure covers this address";
 * - statics: function-static data (S_LDATA32 nested in a procedure, e.g. the CRT's
 *   `_OptionsStorage` in `__local_stdio_printf_options`), which Microsoft's dbghelp.dll answers
 *   by address (tag Data, the record's name, its type's size; corpus oracle crash.exe 0x63d8)
 *   where the linker leaves them out of the globals. Unnamed ones and those in code sections
 *   (switch tables: basic32.dll 0xde23 is UnDecorator::getBasicDataType+990 there) are left out.
 */
import { Cursor } from '../formats/binary/cursor';
import { S } from '../formats/codeview/symbol-kinds';
import type { ModuleSymbols } from '../formats/pdb/module-symbols';
import { sortedOrder } from '../formats/binary/search';
import { U32List } from '../formats/binary/u32-list';
import { dbghelpLeads } from './folded-procs';
import type { RvaBatch } from './rva-batch';

/** Entries sorted by PDB RVA, each with a copy of its record. */
export interface RecordIndex {
  starts: Uint32Array;
  /** Stream offsets of the records (what ids and the features name them by). */
  records: Uint32Array;
  /** Where each record's copy (reclen, kind, data) starts in `copies`. */
  copyAt: Uint32Array;
  copies: Uint8Array;
}

export interface CodeIndex extends RecordIndex {
  lengths: Uint32Array;
  /** SYMBOL_INFO.Index given to each entry so far (0: none yet). */
  ids: Uint32Array;
  /** The DBI module and its stream, for ids and error messages. */
  mod: number;
  stream: number;
  origin: string;
  /**
   * Built for a batch (rva-batch.ts): only the entries covering one of its addresses have their
   * record copied (copyAt NOT_COPIED for the others); the entries themselves are all there, in
   * the same order as in the whole index.
   */
  partial: boolean;
}

/** copyAt of an entry whose record a batch build did not copy. */
export const NOT_COPIED = 0xffffffff;

const NONE = new Uint32Array(0);
const NO_BYTES = new Uint8Array(0);
export const NO_STATICS: RecordIndex = { starts: NONE, records: NONE, copyAt: NONE, copies: NO_BYTES };
export const NO_CODE: CodeIndex = { ...NO_STATICS, lengths: NONE, ids: NONE, mod: -1, stream: 0, origin: '', partial: false };

export interface ModuleAddressing {
  /** The PDB RVA of section:offset, or undefined outside the PDB's sections. */
  pdbRva(section: number, offset: number): number | undefined;
  isCodeSection(section: number): boolean;
}

let TABLE: U32List[] | undefined;

/**
 * A module's code index: its top-level procedures, thunks and trampolines (module `mod`, stream
 * `stream`); with a batch, only the records of entries covering one of its addresses copied.
 */
export function buildCodeIndex(ms: ModuleSymbols, mod: number, stream: number, at: ModuleAddressing, batch?: RvaBatch): CodeIndex {
  // The table is scratch, reused module after module: what the index keeps is copied below.
  const t = ms.codeRangeTable((TABLE ??= Array.from({ length: 6 }, () => new U32List())));
  // Entries outside the PDB's sections are left out (compacted in place).
  let n = 0;
  for (let i = 0; i < t.count; i++) {
    const start = at.pdbRva(t.sections[i], t.offsets[i]);
    if (start === undefined) continue;
    t.offsets[n] = start;
    t.lengths[n] = t.lengths[i];
    t.records[n] = t.records[i];
    t.sizes[n] = t.sizes[i];
    n++;
  }
  const starts = t.offsets.subarray(0, n);
  const order = leadsFirst(sortedOrder(starts), starts, t.records.subarray(0, n), ms);
  const pick = (a: Uint32Array) => (order ? Uint32Array.from(order, (i) => a[i]) : a.slice(0, n));
  const records = pick(t.records);
  const sizes = pick(t.sizes);
  const sorted = pick(starts);
  const lengths = pick(t.lengths);
  // Each record copied (from its reclen) into one buffer, in index order.
  const copyAt = new Uint32Array(n);
  let size = 0;
  let partial = false;
  // With a batch: an entry is copied when an address of the batch is in it or after it, before
  // the next entry's start (the one the nearest-below rule answers there: procBefore).
  let next = 0xffffffff;
  for (let i = n - 1; i >= 0 && batch; i--) {
    if (i + 1 < n && sorted[i + 1] !== sorted[i]) next = sorted[i + 1];
    if (!batch.holdsAny(sorted[i], Math.max(lengths[i], next - sorted[i]))) {
      copyAt[i] = NOT_COPIED;
      partial = true;
    }
  }
  for (let i = 0; i < n; i++) {
    if (copyAt[i] === NOT_COPIED) continue;
    copyAt[i] = size;
    size += sizes[i];
  }
  // A Buffer, so names decode in place (Cursor.cstring); every byte is written below.
  const copies = Buffer.allocUnsafeSlow(size);
  const { buf, start: first } = ms.symbols.c;
  const base = first - ms.symbols.firstOffset;
  // A plain Uint8Array view per record: Buffer's own subarray costs twice as much.
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  for (let i = 0; i < n; i++) {
    if (copyAt[i] === NOT_COPIED) continue;
    const from = records[i] + base;
    copies.set(bytes.subarray(from, from + sizes[i]), copyAt[i]);
  }
  return { starts: sorted, records, copyAt, copies, lengths, ids: new Uint32Array(n), mod, stream, origin: ms.symbols.c.origin, partial };
}

/**
 * `order` (entries by start, ties in stream order) with, in each run of entries sharing a start,
 * the one dbghelp.dll names (folded-procs.ts) moved to the front: "the first entry covering the
 * address" is then its choice for names and inline sites alike.
 */
function leadsFirst(order: Uint32Array | undefined, starts: Uint32Array, records: Uint32Array, ms: ModuleSymbols): Uint32Array | undefined {
  const startAt = (i: number) => (order ? starts[order[i]] : starts[i]);
  let shared = false;
  for (let i = 1; i < starts.length && !shared; i++) shared = startAt(i) === startAt(i - 1);
  const leads = shared ? dbghelpLeads(ms) : undefined;
  if (!leads) return order;
  const o = order ?? Uint32Array.from(starts, (_, i) => i);
  for (let i = 0; i < o.length;) {
    let j = i + 1;
    while (j < o.length && starts[o[j]] === starts[o[i]]) j++;
    for (let k = i + 1; k < j; k++) {
      if (!leads.has(records[o[k]])) continue;
      const lead = o[k];
      o.copyWithin(i + 1, i, k);
      o[i] = lead;
      break;
    }
    i = j;
  }
  return o;
}

/**
 * A module's function-static data. Only data addresses can be answered by one (those in code
 * are left out), so this is built, by a walk of every nested record, only when a data address
 * of the module is looked up.
 */
export function buildStaticIndex(ms: ModuleSymbols, at: ModuleAddressing): RecordIndex {
  const starts = new U32List();
  const records = new U32List();
  ms.forEachNested((kind, offset) => {
    if (kind !== S.LDATA32) return;
    // DATASYM32: u32 type, u32 offset, u16 segment, name.
    const { data } = ms.symbols.recordAt(offset);
    data.skip(4);
    const off = data.u32();
    const section = data.u16();
    if (at.isCodeSection(section) || data.u8() === 0) return;
    const start = at.pdbRva(section, off);
    if (start === undefined) return;
    starts.push(start);
    records.push(offset);
  });
  return starts.length ? copyRecords(ms, starts, records, sortedOrder(starts.view())) : NO_STATICS;
}

/** The entries in `order` (all of them in list order when undefined), each record copied. */
function copyRecords(ms: ModuleSymbols, starts: U32List, records: U32List, order: Uint32Array | undefined): RecordIndex {
  const recs = records.pick(order);
  const n = recs.length;
  const copyAt = new Uint32Array(n);
  let size = 0;
  for (let i = 0; i < n; i++) {
    copyAt[i] = size;
    size += ms.symbols.recordBytes(recs[i]).length;
  }
  // A Buffer, so names decode in place (Cursor.cstring); every byte is written below.
  const copies = Buffer.allocUnsafeSlow(size);
  for (let i = 0; i < n; i++) copies.set(ms.symbols.recordBytes(recs[i]), copyAt[i]);
  return { starts: starts.pick(order), records: recs, copyAt, copies };
}

/**
 * Entry i's record from its copy: its kind and a cursor over its data, whose offsets read as the
 * module stream's (for error messages).
 */
export function copiedRecord(idx: RecordIndex, i: number, origin: string): { kind: number; data: Cursor } {
  const b = idx.copies;
  const at = idx.copyAt[i];
  const reclen = b[at] | (b[at + 1] << 8);
  return { kind: b[at + 2] | (b[at + 3] << 8), data: new Cursor(b, origin, at + 4, at + 2 + reclen, idx.records[i] - at) };
}
