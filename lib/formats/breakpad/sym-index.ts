/**
 * SymIndex: what reading a Breakpad .sym file keeps of it, without its text. Every line is
 * checked as it streams by (SymTables on a scratch copy, so a bad line is BAD_FORMAT with its
 * line number at load time), but only this is kept, in typed-array columns:
 *   FUNC         address, size, and the file range of its block (the FUNC line, its INLINE and
 *                line records, and any FILE/INLINE_ORIGIN/INFO lines among them);
 *   PUBLIC       address and the file range of its line;
 *   STACK WIN    type, address, code size and the file range of its line;
 *   STACK CFI    INIT address, size and the file range of its block (INIT + its deltas);
 *   FILE, INLINE_ORIGIN  id → the file range of the name.
 * Names, line records, inline records, program strings and CFI rules are decoded from the file
 * when a lookup needs them (sym-file.ts). So memory is 12-16 bytes per FUNC, PUBLIC, STACK WIN and
 * STACK CFI INIT and 8 per FILE/INLINE_ORIGIN (twice that for addresses or offsets past 4 GiB) (plus the largest FUNC's lines while it is read),
 * whatever the number of line, INLINE and CFI delta records.
 *
 * A FUNC's line and INLINE records must follow it (FILE, INLINE_ORIGIN and INFO lines may come
 * between); after a PUBLIC or STACK record they belong to no FUNC (Breakpad's processor drops
 * them too) and are BAD_FORMAT. STACK CFI deltas must follow their INIT record the same way.
 */
import { u32, u8, wide, type Column, type WideColumn } from './columns';
import type { SymLine } from './sym-line';
import { SymTables, type BreakpadModule } from './sym-records';

/** Id → file range of a name; ids 0, 1, 2... in order (as dump_syms writes them) go in columns. */
export class IdNames {
  readonly at = wide();
  readonly len = u32();
  private readonly other = new Map<number, [number, number]>();

  get size(): number {
    let n = this.other.size;
    const lens = this.len.view();
    for (let i = 0; i < lens.length; i++) if (lens[i] !== NONE) n++;
    return n;
  }

  has(id: number): boolean {
    return (id < this.len.length && this.len.get(id) !== NONE) || this.other.has(id);
  }

  add(id: number, at: number, len: number): void {
    if (id === this.len.length) {
      this.at.push(at);
      this.len.push(len);
    } else this.other.set(id, [at, len]);
  }

  /** [file offset, length] of the name, or undefined. */
  get(id: number): [number, number] | undefined {
    if (id < this.len.length) {
      const n = this.len.get(id);
      if (n !== NONE) return [this.at.get(id), n];
    }
    return this.other.get(id);
  }
}

const NONE = 0xffffffff;

type Kind = 'line' | 'func' | 'inline' | 'public' | 'win' | 'cfi' | 'delta' | 'file' | 'origin' | 'other';

export class SymIndex {
  /** Checks each line; keeps MODULE and INFO. */
  private readonly scratch = new SymTables();
  readonly files = new IdNames();
  readonly origins = new IdNames();

  readonly funcAddr = wide();
  readonly funcSize = wide();
  readonly funcAt = wide();
  readonly funcLen = u32();

  readonly pubAddr = wide();
  readonly pubAt = wide();
  readonly pubLen = u32();

  readonly winType = u8();
  readonly winAddr = wide();
  readonly winSize = u32();
  readonly winAt = wide();
  readonly winLen = u32();

  readonly cfiAddr = wide();
  readonly cfiSize = wide();
  readonly cfiAt = wide();
  readonly cfiLen = u32();

  lines = 0;
  inlines = 0;
  deltas = 0;
  /** Bytes indexed (the file's size once the stream ended). */
  bytes = 0;
  /** The FUNC / STACK CFI INIT whose block is open (-1: none; -2: closed by another record). */
  private func = -1;
  private cfi = -1;

  get module(): BreakpadModule | undefined {
    return this.scratch.module;
  }

  get infos(): readonly string[] {
    return this.scratch.infos;
  }

  /** Indexes one non-blank line; `end` is the file offset just past its text. */
  record(l: SymLine, end: number): void {
    const kind = kindOf(l);
    const t = this.scratch;
    switch (kind) {
      case 'line':
      case 'inline':
        if (this.func < 0) l.fail(`${kind === 'line' ? 'line record' : 'INLINE'} ${this.func === -1 ? 'before any FUNC' : 'after a PUBLIC or STACK record (it belongs to no FUNC)'}`);
        t.record(l);
        if (kind === 'line') this.lines++;
        else this.inlines++;
        if (t.lineAddr.length > 4096) t.dropLines();
        this.extend(this.funcAt, this.funcLen, this.func, end);
        return;
      case 'func':
        t.clear();
        t.record(l);
        this.func = this.funcAddr.push(t.funcAddr.get(0));
        this.funcSize.push(t.funcSize.get(0));
        this.funcAt.push(l.offset);
        this.funcLen.push(end - l.offset);
        if (this.cfi >= 0) this.cfi = -2;
        return;
      case 'public':
        this.maybeClear();
        t.record(l);
        this.pubAddr.push(t.pubAddr.get(t.pubAddr.length - 1));
        this.pubAt.push(l.offset);
        this.pubLen.push(end - l.offset);
        this.closeBlocks();
        return;
      case 'win': {
        this.maybeClear();
        t.record(l);
        const w = t.winAddr.length - 1;
        this.winType.push(t.winType.get(w));
        this.winAddr.push(t.winAddr.get(w));
        this.winSize.push(t.winFields.get(w * 7));
        this.winAt.push(l.offset);
        this.winLen.push(end - l.offset);
        this.closeBlocks();
        return;
      }
      case 'cfi':
        this.maybeClear();
        t.record(l);
        this.cfi = this.cfiAddr.push(t.cfiAddr.get(t.cfiAddr.length - 1));
        this.cfiSize.push(t.cfiSize.get(t.cfiAddr.length - 1));
        this.cfiAt.push(l.offset);
        this.cfiLen.push(end - l.offset);
        if (this.func >= 0) this.func = -2;
        return;
      case 'delta':
        if (this.cfi < 0) l.fail(this.cfi === -1 ? 'STACK CFI before any STACK CFI INIT' : 'STACK CFI after a record other than STACK CFI (it belongs to no STACK CFI INIT)');
        t.record(l);
        this.deltas++;
        if (t.deltaAddr.length > 4096) t.dropLines();
        this.extend(this.cfiAt, this.cfiLen, this.cfi, end);
        return;
      case 'file':
      case 'origin': {
        const into = kind === 'file' ? this.files : this.origins;
        const what = kind === 'file' ? 'FILE' : 'INLINE_ORIGIN';
        const id = l.dec(`${what} id`);
        const s = l.rest();
        if (into.has(id)) l.fail(`${what} ${id} defined twice`);
        into.add(id, l.fileOffset(s), l.end - s);
        return;
      }
      default:
        if (this.funcAddr.length || this.pubAddr.length) {
          const p = l.pos;
          if (l.accept('MODULE')) l.fail(this.module ? 'a second MODULE record' : 'MODULE after FUNC or PUBLIC records');
          l.pos = p;
        }
        t.record(l); // MODULE, INFO, or an unknown record (which fails)
    }
  }

  /** The columns joined into arrays (once, at the end of the stream). */
  finish(): void {
    for (const c of this.columns()) c.view();
  }

  private *columns(): Iterable<Column<Uint32Array | Uint8Array> | WideColumn> {
    yield* [this.funcAddr, this.funcSize, this.funcAt, this.funcLen, this.pubAddr, this.pubAt, this.pubLen];
    yield* [this.winType, this.winAddr, this.winSize, this.winAt, this.winLen, this.cfiAddr, this.cfiSize, this.cfiAt, this.cfiLen];
    yield* [this.files.at, this.files.len, this.origins.at, this.origins.len];
  }

  private extend(at: WideColumn, len: Column<Uint32Array>, i: number, end: number): void {
    len.set(i, end - at.get(i));
  }

  private closeBlocks(): void {
    if (this.func >= 0) this.func = -2;
    if (this.cfi >= 0) this.cfi = -2;
  }

  /** The scratch tables keep what they checked; forget it now and then. */
  private maybeClear(): void {
    const t = this.scratch;
    if (t.pubAddr.length + t.winAddr.length + t.cfiAddr.length >= 1024) t.clear();
  }
}

/** The record kind of a line, from its first words (the position is left where it was). */
function kindOf(l: SymLine): Kind {
  const c = l.buf[l.pos];
  // Line records start with a digit or a lower-case hex digit, which no keyword does.
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66)) return 'line';
  const p = l.pos;
  let kind: Kind = 'other';
  if (l.accept('FUNC')) kind = 'func';
  else if (l.accept('FILE')) kind = 'file';
  else if (l.accept('PUBLIC')) kind = 'public';
  else if (l.accept('STACK')) {
    if (l.accept('WIN')) kind = 'win';
    else if (l.accept('CFI')) kind = l.accept('INIT') ? 'cfi' : 'delta';
  } else if (l.accept('INLINE')) kind = 'inline';
  else if (l.accept('INLINE_ORIGIN')) kind = 'origin';
  else if (!l.accept('MODULE') && !l.accept('INFO')) {
    const s = l.field('record');
    let hex = true;
    for (let i = s; i < l.pos && hex; i++) {
      const b = l.buf[i];
      hex = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
    }
    if (hex) kind = 'line';
  }
  // FILE and INLINE_ORIGIN are read from after their keyword; the others by SymTables.
  if (kind !== 'file' && kind !== 'origin') l.pos = p;
  return kind;
}
