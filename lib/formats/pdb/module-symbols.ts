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
  constructor(stream: Cursor, readonly symByteSize: number) {
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
   * in one walk (forEachTopLevel's, written out: it runs once per module in bulk lookups) by
   * field offset (record-layout.ts), without an object per record; a record too short for the
   * fields read is handed to its cursor decoder, so it fails with the cursor's message.
   */
  codeRangeTable(): CodeRangeTable {
    const s = this.symbols;
    const { buf, start, end } = s.c;
    const t = new CodeRangeTableBuilder();
    let p = start;
    while (p + 4 <= end) {
      const reclen = buf[p] | (buf[p + 1] << 8);
      const kind = buf[p + 2] | (buf[p + 3] << 8);
      if (reclen < 2 || p + 2 + reclen > end) s.c.fail(`symbol record of length ${reclen} runs past the end of the stream`, p);
      const next = p + 2 + reclen;
      const fam = symFamily(kind);
      const record = p - start + s.firstOffset;
      if (fam === SymFamily.Proc) {
        if (next < p + PROCSYM32.flags) readProc(s.recordAt(record).data);
        t.add(kind, u16At(buf, p + PROCSYM32.segment), u32At(buf, p + PROCSYM32.offset), u32At(buf, p + PROCSYM32.length), record, next - p);
      } else if (fam === SymFamily.Thunk) {
        if (next < p + THUNKSYM32.ordinal) readThunk(s.recordAt(record).data);
        t.add(kind, u16At(buf, p + THUNKSYM32.segment), u32At(buf, p + THUNKSYM32.offset), u16At(buf, p + THUNKSYM32.length), record, next - p);
      } else if (kind === S.TRAMPOLINE) {
        if (next < p + TRAMPOLINESYM.targetSection) readTrampoline(s.recordAt(record).data);
        t.add(kind, u16At(buf, p + TRAMPOLINESYM.thunkSection), u32At(buf, p + TRAMPOLINESYM.thunkOffset), u16At(buf, p + TRAMPOLINESYM.size), record, next - p);
      }
      p = opensScope(fam) ? this.afterScope(p, reclen, next) : next;
    }
    s.checkTail(p);
    return t.done();
  }
}

/** ModuleSymbols.codeRangeTable: `count` entries in stream order (the arrays may be longer). */
export interface CodeRangeTable {
  count: number;
  kinds: Uint16Array;
  sections: Uint16Array;
  offsets: Uint32Array;
  lengths: Uint32Array;
  /** Stream offset of each record, and its size in bytes (reclen + 2). */
  records: Uint32Array;
  sizes: Uint32Array;
}

class CodeRangeTableBuilder {
  private t: CodeRangeTable = { count: 0, kinds: new Uint16Array(64), sections: new Uint16Array(64), offsets: new Uint32Array(64), lengths: new Uint32Array(64), records: new Uint32Array(64), sizes: new Uint32Array(64) };

  add(kind: number, section: number, offset: number, length: number, record: number, size: number): void {
    let t = this.t;
    const i = t.count;
    if (i === t.kinds.length) t = this.grow();
    t.kinds[i] = kind;
    t.sections[i] = section;
    t.offsets[i] = offset;
    t.lengths[i] = length;
    t.records[i] = record;
    t.sizes[i] = size;
    t.count = i + 1;
  }

  done(): CodeRangeTable {
    return this.t;
  }

  private grow(): CodeRangeTable {
    const o = this.t;
    const n = o.kinds.length * 2;
    const g = <A extends Uint16Array | Uint32Array>(a: A, b: A): A => (b.set(a), b);
    this.t = { count: o.count, kinds: g(o.kinds, new Uint16Array(n)), sections: g(o.sections, new Uint16Array(n)), offsets: g(o.offsets, new Uint32Array(n)), lengths: g(o.lengths, new Uint32Array(n)), records: g(o.records, new Uint32Array(n)), sizes: g(o.sizes, new Uint32Array(n)) };
    return this.t;
  }
}
