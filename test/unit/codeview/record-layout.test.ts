/**
 * record-layout.ts is the one field layout of the records the decoders and the fast paths read
 * by offset: every field it names must be where a sequential read of cvinfo.h's fields (their
 * order and widths, below) finds it, and the decoders must answer the same, on every procedure,
 * thunk, trampoline, data and public record of the fixture PDBs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { BufferSource } from '../../../lib/formats/binary/source';
import { DATASYM32, INLINESITESYM, INLINESITESYM2, PROCSYM32, PUBSYM32, SCOPE, SEPCODESYM, THUNKSYM32, TRAMPOLINESYM, u16At, u32At } from '../../../lib/formats/codeview/record-layout';
import { readInlineSite } from '../../../lib/formats/codeview/inline-site';
import { SymFamily, symFamily, S } from '../../../lib/formats/codeview/symbol-kinds';
import { readData, readProc, readPublic, readThunk, readTrampoline } from '../../../lib/formats/codeview/symbol-records';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import type { SymbolStream } from '../../../lib/formats/pdb/symbol-stream';

const BIN = path.join(__dirname, '..', '..', 'fixtures', 'bin');
const FIXTURES = ['cppfeatures-x64.pdb', 'cppfeatures-x86.pdb', 'inline-x64.pdb', 'locals-arm64.pdb', 'types-x64.pdb'];
const open = (file: string) => new PdbFile(new BufferSource(fs.readFileSync(file), path.basename(file)));

/** cvinfo.h's fields in order: name → width in bytes (0: a NUL-terminated name). */
type Widths = Record<string, 0 | 1 | 2 | 4>;
const PROC: Widths = { parent: 4, end: 4, next: 4, length: 4, dbgStart: 4, dbgEnd: 4, typeIndex: 4, offset: 4, segment: 2, flags: 1, name: 0 };
const THUNK: Widths = { parent: 4, end: 4, next: 4, offset: 4, segment: 2, length: 2, ordinal: 1, name: 0 };
const TRAMP: Widths = { type: 2, size: 2, thunkOffset: 4, targetOffset: 4, thunkSection: 2, targetSection: 2 };
const DATA: Widths = { typeIndex: 4, offset: 4, segment: 2, name: 0 };
const PUB: Widths = { flags: 4, offset: 4, segment: 2, name: 0 };
const INLINE: Widths = { parent: 4, end: 4, inlinee: 4 };
const INLINE2: Widths = { parent: 4, end: 4, inlinee: 4, invocations: 4 };
const SEPCODE: Widths = { parent: 4, end: 4, length: 4, flags: 4, offset: 4, parentOffset: 4, section: 2, parentSection: 2 };

/** The record's fields read by layout offset. */
function byLayout(b: Uint8Array, p: number, layout: Record<string, number>, widths: Widths): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [field, width] of Object.entries(widths)) {
    const at = p + layout[field];
    if (width === 0) {
      let e = at;
      while (b[e] !== 0) e++;
      out[field] = new TextDecoder().decode(b.subarray(at, e));
    } else out[field] = width === 1 ? b[at] : width === 2 ? u16At(b, at) : u32At(b, at);
  }
  return out;
}

/** The fields read one after the other from the record's data, as cvinfo.h declares them. */
function sequential(c: Cursor, widths: Widths): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [field, width] of Object.entries(widths)) out[field] = width === 0 ? c.cstring() : width === 1 ? c.u8() : width === 2 ? c.u16() : c.u32();
  return out;
}

function checkStream(s: SymbolStream, seen: Map<string, number>): void {
  const { buf, start } = s.c;
  s.forEach((kind, offset) => {
    const p = start + offset - s.firstOffset;
    const fam = symFamily(kind);
    const { data } = s.recordAt(offset);
    const check = (what: string, layout: Record<string, number>, widths: Widths, decoded: object) => {
      const want = sequential(s.recordAt(offset).data, widths);
      expect(byLayout(buf, p, layout, widths)).toEqual(want);
      expect(Object.fromEntries(Object.keys(widths).map((k) => [k, (decoded as Record<string, unknown>)[k]]))).toEqual(want);
      seen.set(what, (seen.get(what) ?? 0) + 1);
    };
    if (fam === SymFamily.Proc) check('proc', PROCSYM32, PROC, readProc(data));
    else if (fam === SymFamily.Thunk) check('thunk', THUNKSYM32, THUNK, readThunk(data));
    else if (kind === S.TRAMPOLINE) check('trampoline', TRAMPOLINESYM, TRAMP, readTrampoline(data));
    else if (fam === SymFamily.Data) check('data', DATASYM32, DATA, readData(data));
    else if (fam === SymFamily.Public) check('public', PUBSYM32, PUB, readPublic(data));
    else if (fam === SymFamily.Inline) {
      const site = readInlineSite(kind, data);
      check(kind === S.INLINESITE2 ? 'inline site 2' : 'inline site', kind === S.INLINESITE2 ? INLINESITESYM2 : INLINESITESYM, kind === S.INLINESITE2 ? INLINE2 : INLINE, site);
      // The annotations start where the layout says.
      expect(site.annotations.start).toBe(p + (kind === S.INLINESITE2 ? INLINESITESYM2.annotations : INLINESITESYM.annotations));
    } else if (kind === S.SEPCODE) check('sepcode', SEPCODESYM, SEPCODE, sequential(s.recordAt(offset).data, SEPCODE));
    if (fam === SymFamily.Proc || fam === SymFamily.Thunk || fam === SymFamily.Block) {
      expect([u32At(buf, p + SCOPE.parent), u32At(buf, p + SCOPE.end)]).toEqual([u32At(buf, p + 4), u32At(buf, p + 8)]);
    }
  });
}

test.each(FIXTURES)('%s: every field record-layout.ts names is where the decoders read it', (f) => {
  const pdb = open(path.join(BIN, f));
  const seen = new Map<string, number>();
  pdb.modules().forEach((_, m) => {
    const ms = pdb.moduleSymbols(m);
    if (ms) checkStream(ms.symbols, seen);
  });
  checkStream(pdb.symbolRecords(), seen);
  // Every layout was exercised (trampolines: only x64 incremental links have them).
  for (const what of ['proc', 'data', 'public']) expect([what, (seen.get(what) ?? 0) > 0]).toEqual([what, true]);
  if (f === 'inline-x64.pdb') expect(seen.get('inline site')).toBeGreaterThan(0);
});

test('ModuleSymbols.codeRangeTable reads by layout what the decoders read', () => {
  for (const f of FIXTURES) {
    const pdb = open(path.join(BIN, f));
    pdb.modules().forEach((_, m) => {
      const ms = pdb.moduleSymbols(m);
      if (!ms) return;
      const t = ms.codeRangeTable();
      for (let i = 0; i < t.count; i++) {
        const { kind, data } = ms.symbols.recordAt(t.records[i]);
        const fam = symFamily(kind);
        const want =
          fam === SymFamily.Proc
            ? (({ segment, offset, length }) => [segment, offset, length])(readProc(data))
            : fam === SymFamily.Thunk
              ? (({ segment, offset, length }) => [segment, offset, length])(readThunk(data))
              : (({ thunkSection, thunkOffset, size }) => [thunkSection, thunkOffset, size])(readTrampoline(data));
        expect([t.kinds[i], t.sections[i], t.offsets[i], t.lengths[i], t.sizes[i]]).toEqual([kind, ...want, ms.symbols.recordBytes(t.records[i]).length]);
      }
    });
  }
});
