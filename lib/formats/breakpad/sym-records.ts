/**
 * The records of a Breakpad symbol file (Breakpad's docs/symbol_files.md), parsed line by line
 * into columns (formats/breakpad/columns.ts):
 *
 *   MODULE <os> <arch> <debug id> <debug file>
 *   INFO CODE_ID <code id> [<code file>]     INFO GENERATOR <text>     (other INFO: kept as text)
 *   FILE <id> <name>                         INLINE_ORIGIN <id> <name>
 *   FUNC [m] <address> <size> <param size> <name>           (hex, hex, hex, rest of line)
 *   <address> <size> <line> <file id>                        line record of the last FUNC
 *   INLINE <depth> <call line> <call file id> <origin id> (<address> <size>)+
 *       (the old form without <call file id>, an odd field count, is read too)
 *   PUBLIC [m] <address> <param size> <name>
 *   STACK WIN <type> <rva> <code size> <prologue> <epilogue> <params> <saved regs> <locals>
 *             <max stack> <has program string> <program string | allocates base pointer>
 *   STACK CFI INIT <address> <size> <rules>                  STACK CFI <address> <rules>
 *
 * Names are the rest of the line (they hold spaces). Line and INLINE records belong to the
 * FUNC before them, STACK CFI deltas to the INIT before them; one without its owner is
 * BAD_FORMAT. Blank lines are skipped.
 */
import { Arena, Column, f64, i32, u32, u8 } from './columns';
import type { SymLine } from './sym-line';

/** MODULE and INFO: who the file describes. */
export interface BreakpadModule {
  os: string;
  arch: string;
  /** Debug identifier: GUID + age for PDBs (`5A9832E5287241C1838ED98914E9B7FF1`). */
  id: string;
  /** Debug file name (`test_app.pdb`). */
  name: string;
  /** INFO CODE_ID: TimeDateStamp + SizeOfImage for PE images. */
  codeId?: string;
  codeFile?: string;
  generator?: string;
}

export const NO_FILE = 0xffffffff;
const utf8 = new TextDecoder('utf-8');

export class SymTables {
  module: BreakpadModule | undefined;
  readonly infos: string[] = [];
  readonly arena = new Arena();
  /** FILE and INLINE_ORIGIN: id → [arena offset, length]. */
  readonly files = new Map<number, [number, number]>();
  readonly origins = new Map<number, [number, number]>();

  readonly funcAddr = f64();
  readonly funcSize = f64();
  readonly funcParams = u32();
  readonly funcNameAt = u32();
  readonly funcNameLen = u32();
  readonly funcMulti = u8();
  readonly funcLines = u32(); // first line record index
  readonly funcInlines = u32(); // first inline record index

  readonly lineAddr = f64();
  readonly lineSize = u32();
  readonly lineNo = i32();
  readonly lineFile = u32();

  readonly inlDepth = u32();
  readonly inlCallLine = u32();
  readonly inlCallFile = u32();
  readonly inlOrigin = u32();
  readonly inlParent = i32(); // index of the enclosing INLINE (depth - 1), -1 at depth 0
  readonly inlRanges = u32(); // first range index
  readonly rangeAddr = f64();
  readonly rangeSize = f64();
  private readonly inlStack: number[] = [];

  readonly pubAddr = f64();
  readonly pubParams = u32();
  readonly pubNameAt = u32();
  readonly pubNameLen = u32();
  readonly pubMulti = u8();

  readonly winType = u8();
  readonly winAddr = f64();
  /** code size, prologue, epilogue, params, saved regs, locals, max stack: 7 per record. */
  readonly winFields = u32();
  readonly winHasProgram = u8();
  /** Program string (arena) or, without one, allocatesBasePointer in winProgramAt with length 0. */
  readonly winProgramAt = u32();
  readonly winProgramLen = u32();

  readonly cfiAddr = f64();
  readonly cfiSize = f64();
  readonly cfiRulesAt = u32();
  readonly cfiRulesLen = u32();
  readonly cfiDeltas = u32(); // first delta index
  readonly deltaAddr = f64();
  readonly deltaRulesAt = u32();
  readonly deltaRulesLen = u32();

  private columns: Column<Float64Array>[] | undefined;

  /** Forgets every record (MODULE and INFO stay): the indexer's scratch tables between FUNCs. */
  clear(): void {
    this.columns ??= Object.values(this).filter((v): v is Column<Float64Array> => v instanceof Column);
    for (const c of this.columns) c.clear();
    this.arena.clear();
    this.inlStack.length = 0;
  }

  /** Forgets the line records and STACK CFI deltas seen so far (their checks need none of them). */
  dropLines(): void {
    for (const c of [this.lineAddr, this.lineSize, this.lineNo, this.lineFile, this.deltaAddr, this.deltaRulesAt, this.deltaRulesLen]) c.clear();
  }

  /** Parses one non-blank line. */
  record(l: SymLine): void {
    const c = l.buf[l.pos];
    // Line records (the bulk of a file) start with a digit or a lower-case hex digit, which
    // no keyword does; an upper-case hex address is tried after the keywords.
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66)) return this.line(l);
    if (l.accept('FUNC')) return this.func(l);
    if (l.accept('FILE')) return this.named(l, this.files, 'FILE');
    if (l.accept('PUBLIC')) return this.pub(l);
    if (l.accept('STACK')) return this.stack(l);
    if (l.accept('INLINE')) return this.inline(l);
    if (l.accept('INLINE_ORIGIN')) return this.named(l, this.origins, 'INLINE_ORIGIN');
    if (l.accept('MODULE')) return this.moduleRecord(l);
    if (l.accept('INFO')) return this.info(l);
    const p = l.pos;
    const word = l.word('record');
    if (/^[0-9a-fA-F]+$/.test(word)) {
      l.pos = p;
      return this.line(l);
    }
    l.fail(`unknown record ${JSON.stringify(word.slice(0, 40))}`);
  }

  private moduleRecord(l: SymLine): void {
    if (this.module) l.fail('a second MODULE record');
    if (this.funcAddr.length || this.pubAddr.length) l.fail('MODULE after FUNC or PUBLIC records');
    const os = l.word('operating system');
    const arch = l.word('architecture');
    const id = l.word('debug identifier');
    const s = l.rest();
    if (s === l.end) l.fail('missing debug file name');
    this.module = { os, arch, id, name: this.text(l, s) };
  }

  private info(l: SymLine): void {
    const m = this.module ?? l.fail('INFO before MODULE');
    if (l.accept('CODE_ID')) {
      m.codeId = l.word('code identifier');
      const s = l.rest();
      if (s < l.end) m.codeFile = this.text(l, s);
    } else if (l.accept('GENERATOR')) {
      m.generator = this.text(l, l.rest());
    } else this.infos.push(this.text(l, l.rest()));
  }

  private named(l: SymLine, into: Map<number, [number, number]>, what: string): void {
    const id = l.dec(`${what} id`);
    const s = l.rest();
    if (into.has(id)) l.fail(`${what} ${id} defined twice`);
    into.set(id, [this.arena.add(l.buf, s, l.end), l.end - s]);
  }

  private func(l: SymLine): void {
    const multi = l.accept('m') ? 1 : 0;
    this.funcAddr.push(l.hex('FUNC address'));
    this.funcSize.push(l.hex('FUNC size'));
    this.funcParams.push(l.hex('FUNC parameter size'));
    const s = l.rest();
    this.funcNameAt.push(this.arena.add(l.buf, s, l.end));
    this.funcNameLen.push(l.end - s);
    this.funcMulti.push(multi);
    this.funcLines.push(this.lineAddr.length);
    this.funcInlines.push(this.inlDepth.length);
    this.inlStack.length = 0;
  }

  private line(l: SymLine): void {
    if (!this.funcAddr.length) l.fail('line record before any FUNC');
    this.lineAddr.push(l.hex('line address'));
    const size = l.hex('line size');
    if (size > 0xffffffff) l.fail('line size out of range');
    this.lineSize.push(size);
    const n = l.dec('line number', true);
    if (n < -0x80000000 || n > 0x7fffffff) l.fail('line number out of range');
    this.lineNo.push(n);
    const f = l.dec('line file id');
    if (f >= NO_FILE) l.fail('line file id out of range');
    this.lineFile.push(f);
    l.expectEnd('line record');
  }

  private inline(l: SymLine): void {
    if (!this.funcAddr.length) l.fail('INLINE before any FUNC');
    // Count the fields first: the old form has no call-site file id (odd count).
    const start = l.pos;
    const words: [number, number][] = [];
    while (!l.atEnd) {
      const s = l.field('INLINE field');
      words.push([s, l.pos]);
    }
    l.pos = start;
    if (words.length < 5) l.fail('INLINE needs a depth, a call site, an origin and at least one range');
    const withFile = words.length % 2 === 0;
    const depth = l.dec('INLINE depth');
    const callLine = l.dec('INLINE call-site line');
    const callFile = withFile ? l.dec('INLINE call-site file id') : NO_FILE;
    if (callFile > NO_FILE) l.fail('INLINE call-site file id out of range');
    const origin = l.dec('INLINE origin id');
    if (depth > this.inlStack.length) l.fail(`INLINE depth ${depth} without an enclosing INLINE of depth ${depth - 1}`);
    const index = this.inlDepth.push(depth);
    this.inlCallLine.push(callLine > 0xffffffff ? l.fail('INLINE call-site line out of range') : callLine);
    this.inlCallFile.push(callFile);
    this.inlOrigin.push(origin > 0xffffffff ? l.fail('INLINE origin id out of range') : origin);
    this.inlParent.push(depth === 0 ? -1 : this.inlStack[depth - 1]);
    this.inlStack.length = depth;
    this.inlStack.push(index);
    this.inlRanges.push(this.rangeAddr.length);
    while (!l.atEnd) {
      this.rangeAddr.push(l.hex('INLINE range address'));
      this.rangeSize.push(l.hex('INLINE range size'));
    }
  }

  private pub(l: SymLine): void {
    const multi = l.accept('m') ? 1 : 0;
    this.pubAddr.push(l.hex('PUBLIC address'));
    this.pubParams.push(l.hex('PUBLIC parameter size'));
    const s = l.rest();
    this.pubNameAt.push(this.arena.add(l.buf, s, l.end));
    this.pubNameLen.push(l.end - s);
    this.pubMulti.push(multi);
  }

  private stack(l: SymLine): void {
    if (l.accept('WIN')) return this.stackWin(l);
    if (!l.accept('CFI')) l.fail('STACK record is neither WIN nor CFI');
    if (l.accept('INIT')) {
      this.cfiAddr.push(l.hex('STACK CFI INIT address'));
      this.cfiSize.push(l.hex('STACK CFI INIT size'));
      const s = l.rest();
      if (s === l.end) l.fail('STACK CFI INIT without rules');
      this.cfiRulesAt.push(this.arena.add(l.buf, s, l.end));
      this.cfiRulesLen.push(l.end - s);
      this.cfiDeltas.push(this.deltaAddr.length);
      return;
    }
    if (!this.cfiAddr.length) l.fail('STACK CFI before any STACK CFI INIT');
    this.deltaAddr.push(l.hex('STACK CFI address'));
    const s = l.rest();
    if (s === l.end) l.fail('STACK CFI without rules');
    this.deltaRulesAt.push(this.arena.add(l.buf, s, l.end));
    this.deltaRulesLen.push(l.end - s);
  }

  private stackWin(l: SymLine): void {
    const type = l.hex('STACK WIN type');
    if (type > 4) l.fail(`STACK WIN type ${type} is not 0-4`);
    const addr = l.hex('STACK WIN rva');
    const names = ['code size', 'prologue size', 'epilogue size', 'parameter size', 'saved register size', 'local size', 'max stack size'];
    const values = names.map((n) => {
      const v = l.hex(`STACK WIN ${n}`);
      return v > 0xffffffff ? l.fail(`STACK WIN ${n} out of range`) : v;
    });
    const has = l.dec('STACK WIN has_program_string');
    if (has > 1) l.fail('STACK WIN has_program_string is not 0 or 1');
    this.winType.push(type);
    this.winAddr.push(addr);
    for (const v of values) this.winFields.push(v);
    this.winHasProgram.push(has);
    if (has) {
      const s = l.rest();
      if (s === l.end) l.fail('STACK WIN without its program string');
      this.winProgramAt.push(this.arena.add(l.buf, s, l.end));
      this.winProgramLen.push(l.end - s);
    } else {
      const bp = l.dec('STACK WIN allocates_base_pointer');
      if (bp > 1) l.fail('STACK WIN allocates_base_pointer is not 0 or 1');
      l.expectEnd('STACK WIN record');
      this.winProgramAt.push(bp);
      this.winProgramLen.push(0);
    }
  }

  private text(l: SymLine, s: number): string {
    return utf8.decode(l.buf.subarray(s, l.end));
  }
}
