/**
 * ModuleSymbols.forEachTopLevel steps over each scope by its pEnd (one record read per
 * procedure, not ~20), and counts depth where a pEnd does not name an end record.
 */
import { Cursor } from '../../../lib/formats/binary/cursor';
import { S } from '../../../lib/formats/codeview/symbol-kinds';
import { ModuleSymbols } from '../../../lib/formats/pdb/module-symbols';

/** A record: u16 reclen, u16 kind, data padded to 4 bytes. */
function rec(kind: number, data: number[]): number[] {
  const body = [...data];
  while ((body.length + 4) % 4) body.push(0);
  const reclen = body.length + 2;
  return [reclen & 0xff, reclen >> 8, kind & 0xff, kind >> 8, ...body];
}
const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const u16 = (v: number) => [v & 0xff, v >> 8];
/** PROCSYM32 with pEnd `end`, at section 1 offset `off`, named `name`. */
const proc = (end: number, off: number, name: string) =>
  rec(S.GPROC32, [...u32(0), ...u32(end), ...u32(0), ...u32(0x10), ...u32(0), ...u32(0), ...u32(0), ...u32(off), ...u16(1), 0, ...Buffer.from(name + '\0')]);
const local = (name: string) => rec(S.LDATA32, [...u32(0x74), ...u32(0x20), ...u16(2), ...Buffer.from(name + '\0')]);

/** Module stream bytes: signature 4, then f { child } g { }, with f's pEnd given. */
function stream(fEnd: (endAt: number) => number, child: number[]): { ms: ModuleSymbols; endAt: number } {
  const f0 = proc(0, 0x100, 'f');
  const endAt = 4 + f0.length + child.length;
  const f = proc(fEnd(endAt), 0x100, 'f');
  const gAt = endAt + 4;
  const g = proc(gAt + proc(0, 0x200, 'g').length, 0x200, 'g');
  const bytes = Uint8Array.from([...u32(4), ...f, ...child, ...rec(S.END, []), ...g, ...rec(S.END, [])]);
  return { ms: new ModuleSymbols(Cursor.of(bytes, 'test.pdb'), bytes.length), endAt };
}

function topLevel(ms: ModuleSymbols): number[] {
  const kinds: number[] = [];
  ms.forEachTopLevel((kind) => kinds.push(kind));
  return kinds;
}

test('a procedure is stepped over by its pEnd: its children are not read', () => {
  // The child claims 0xfff0 bytes: read, it would run past the end of the stream.
  const damaged = [0xf0, 0xff, 0x0c, 0x11, 0, 0, 0, 0];
  const { ms } = stream((endAt) => endAt, damaged);
  expect(topLevel(ms)).toEqual([S.GPROC32, S.GPROC32]);
  expect(ms.codeRanges().map((r) => r.offset)).toEqual([0x100, 0x200]);
  // The depth walk reads every record, so it does meet the damage.
  expect(() => ms.forEachNested(() => undefined)).toThrow(/runs past the end/);
});

test('a pEnd that names no end record after the scope: depth is counted instead', () => {
  for (const bad of [() => 0, () => 4, (endAt: number) => endAt + 2, () => 0xffffff]) {
    const { ms } = stream(bad, local('s_count'));
    expect(topLevel(ms)).toEqual([S.GPROC32, S.GPROC32]);
    const nested: number[] = [];
    ms.forEachNested((kind) => nested.push(kind));
    expect(nested).toEqual([S.LDATA32]);
  }
});

test('a damaged record outside every scope is still BAD_FORMAT with its offset', () => {
  const { ms } = stream((endAt) => endAt, local('x'));
  const bytes = new Uint8Array((ms.symbols.c.buf as Uint8Array).slice());
  bytes.set([0xf0, 0xff], bytes.length - 4); // the last S_END's reclen
  const broken = new ModuleSymbols(Cursor.of(bytes, 'test.pdb'), bytes.length);
  expect(() => topLevel(broken)).toThrow(expect.objectContaining({ code: 'BAD_FORMAT', message: expect.stringMatching(/runs past the end/) }));
});
