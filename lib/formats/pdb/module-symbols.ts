/**
 * One module's symbol stream (DBI ModInfo.symStream): u32 signature (4 = CV_SIGNATURE_C13),
 * then symByteSize - 4 bytes of symbol records, then C11 and C13 line data.
 *
 * Built on first use of the module: an address index of its top-level code symbols
 * (procedures, thunks, trampolines, separated code) as packed arrays sorted by address, so
 * "which procedure covers this address" is a binary search.
 */
import { Cursor } from '../binary/cursor';
import { opensScope, S, SymFamily, symFamily } from '../codeview/symbol-kinds';
import { SymbolStream } from './symbol-stream';
import { U32List } from '../binary/u32-list';
import { PROCSYM32, SCOPE, THUNKSYM32, TRAMPOLINESYM, u16At, u32At } from '../codeview/record-layout';
import { readProc, readThunk, readTrampoline } from '../codeview/symbol-records';

export const CV_SIGNATURE_C13 = 4;

/** A top-level code symbol of a module in PDB section:offset terms. */
export interface CodeRange {
  section: number;
  offset: number;
  length: number;
  /** Stream offset of the record. */
  record: number;
  kind: number;
}

export class ModuleSymbols {
  readonly symbols: SymbolStream;
  private readonly stream: Cursor;

  /** ModInfo.SymByteSize: the signature and the symbol records, in bytes. */
  constructor(
    stream: Cursor,
    readonly symByteSize: number,
  ) {
    this.stream = new Cursor(stream.buf, stream.origin, stream.start, stream.end, stream.base);
    if (symByteSize === 0) {
      this.symbols = new SymbolStream(stream.take(0), 0);
      return;
    }
    if (symByteSize < 4 || symByteSize > stream.remaining) stream.fail(`module symbol size ${symByteSize} outside the ${stream.remaining}-byte stream`, 0);
    const sig = stream.u32();
    if (sig !== CV_SIGNATURE_C13) stream.fail(`module symbol signature ${sig} is not 4 (C13)`, 0);
    this.symbols = new SymbolStream(stream.take(symByteSize - 4, 'module symbols'), 4);
  }

  /**
   * The C13 line-information block: `c13ByteSize` bytes after the symbols and the C11 lines
   * (ModInfo's c11ByteSize/c13ByteSize). A block outside the stream is BAD_FORMAT.
   */
  c13Block(c11ByteSize: number, c13ByteSize: number): Cursor {
    const c = new Cursor(this.stream.buf, this.stream.origin, this.stream.start, this.stream.end, this.stream.base);
    c.skip(this.symByteSize);
    c.skip(c11ByteSize);
    return c.take(c13ByteSize, 'C13 line information');
  }

  /**
   * Calls fn(kind, offset) for each record outside every procedure/block/inline scope. A scope
   * is stepped over by its pEnd (every scope record starts u32 pParent, u32 pEnd) when that
   * names an end record after it, so the address indexes read one record per procedure rather
   * than ~20; a pEnd that does not is followed by counting scope depth instead.
   */
  forEachTopLevel(fn: (kind: number, offset: number) => void): void {
    const s = this.symbols;
    const { buf, start, end } = s.c;
    let p = start;
    while (p + 4 <= end) {
      const reclen = buf[p] | (buf[p + 1] << 8);
      const kind = buf[p + 2] | (buf[p + 3] << 8);
      if (reclen < 2 || p + 2 + reclen > end) s.c.fail(`symbol record of length ${reclen} runs past the end of the stream`, p);
      const next = p + 2 + reclen;
      const fam = symFamily(kind);
      if (fam !== SymFamily.End) fn(kind, p - start + s.firstOffset);
      p = opensScope(fam) ? this.afterScope(p, reclen, next) : next;
    }
    s.checkTail(p);
  }

  /** Where the record after the end of the scope opened at buffer position p starts. */
  private afterScope(p: number, reclen: number, next: number): number {
    const s = this.symbols;
    const { buf, start, end } = s.c;
    if (reclen >= 10) {
      const pEnd = u32At(buf, p + SCOPE.end);
      const q = start + pEnd - s.firstOffset;
      if (q >= next && q + 4 <= end) {
        const rl = buf[q] | (buf[q + 1] << 8);
        if (rl >= 2 && q + 2 + rl <= end && symFamily(buf[q + 2] | (buf[q + 3] << 8)) === SymFamily.End) return q + 2 + rl;
      }
    }
    let depth = 1;
    let r = next;
    while (depth > 0 && r + 4 <= end) {
      const rl = buf[r] | (buf[r + 1] << 8);
      if (rl < 2 || r + 2 + rl > end) s.c.fail(`symbol record of length ${rl} runs past the end of the stream`, r);
      const fam = symFamily(buf[r + 2] | (buf[r + 3] << 8));
      if (fam === SymFamily.End) depth--;
      else if (opensScope(fam)) depth++;
      r += 2 + rl;
    }
    return r;
  }

  /** Calls fn for each record nested inside a scope (a procedure, block, thunk...), in stream order. */
  forEachNested(fn: (kind: number, offset: number) => void): void {
    this.forEachAtDepth((kind, offset, depth) => {
      if (depth > 0) fn(kind, offset);
    });
  }

  /** Every record but the scope ends, with how many scopes (S_*PROC*, S_BLOCK32, ...) enclose it. */
  private forEachAtDepth(fn: (kind: number, offset: number, depth: number) => void): void {
    let depth = 0;
    this.symbols.forEach((kind, offset) => {
      const fam = symFamily(kind);
      if (fam === SymFamily.End) {
        if (depth > 0) depth--;
        return;
      }
      fn(kind, offset, depth);
      if (opensScope(fam)) depth++;
    });
  }

  /** Top-level procedures, thunks and trampolines (not nested ones). */
  codeRanges(): CodeRange[] {
    const t = this.codeRangeTable();
    const out: CodeRange[] = [];
    for (let i = 0; i < t.count; i++) out.push({ section: t.sections[i], offset: t.offsets[i], length: t.lengths[i], record: t.records[i], kind: t.kinds[i] });
    return out;
  }

  /**
   * The top-level procedures, thunks and trampolines in stream order as parallel arrays, read
   * by field offset (record-layout.ts) in forEachTopLevel's walk, without an object or a cursor
   * per record; a record too short for the fields read is handed to its cursor decoder, so it
   * fails with the cursor's message. With `scratch`, the table is built in those lists (emptied
   * first) and its arrays are valid until they are used again: for an index that copies what it
   * keeps, one module after another.
   */
  codeRangeTable(scratch?: U32List[]): CodeRangeTable {
    const s = this.symbols;
    const { buf } = s.c;
    const base = s.c.start - s.firstOffset;
    const lists = scratch ?? Array.from({ length: 6 }, () => new U32List());
    for (const l of lists) l.clear();
    const [kinds, sections, offsets, lengths, records, sizes] = lists;
    const add = (kind: number, section: number, offset: number, length: number, record: number, size: number) => {
      kinds.push(kind);
      sections.push(section);
      offsets.push(offset);
      lengths.push(length);
      records.push(record);
      sizes.push(size);
    };
    this.forEachTopLevel((kind, record) => {
      const fam = symFamily(kind);
      const p = base + record;
      const size = 2 + (buf[p] | (buf[p + 1] << 8));
      if (fam === SymFamily.Proc) {
        if (size < PROCSYM32.flags) readProc(s.recordAt(record).data);
        add(kind, u16At(buf, p + PROCSYM32.segment), u32At(buf, p + PROCSYM32.offset), u32At(buf, p + PROCSYM32.length), record, size);
      } else if (fam === SymFamily.Thunk) {
        if (size < THUNKSYM32.ordinal) readThunk(s.recordAt(record).data);
        add(kind, u16At(buf, p + THUNKSYM32.segment), u32At(buf, p + THUNKSYM32.offset), u16At(buf, p + THUNKSYM32.length), record, size);
      } else if (kind === S.TRAMPOLINE) {
        if (size < TRAMPOLINESYM.targetSection) readTrampoline(s.recordAt(record).data);
        add(kind, u16At(buf, p + TRAMPOLINESYM.thunkSection), u32At(buf, p + TRAMPOLINESYM.thunkOffset), u16At(buf, p + TRAMPOLINESYM.size), record, size);
      }
    });
    return { count: kinds.length, kinds: kinds.items, sections: sections.items, offsets: offsets.items, lengths: lengths.items, records: records.items, sizes: sizes.items };
  }
}

/** ModuleSymbols.codeRangeTable: `count` entries in stream order (the arrays may be longer). */
export interface CodeRangeTable {
  count: number;
  kinds: Uint32Array;
  sections: Uint32Array;
  offsets: Uint32Array;
  lengths: Uint32Array;
  /** Stream offset of each record, and its size in bytes (reclen + 2). */
  records: Uint32Array;
  sizes: Uint32Array;
}
