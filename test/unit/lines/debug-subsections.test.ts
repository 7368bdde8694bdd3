/**
 * The one C13 splitter (lib/formats/codeview/debug-subsections.ts) and its rule for duplicates,
 * seen through both of its readers: the line tables (readC13) and the inline-frame subsections
 * (findInlineeSubsections) now answer a block the same way.
 */
import { Cursor } from '../../../lib/formats/binary/cursor';
import { readC13 } from '../../../lib/formats/codeview/c13-lines';
import { findInlineeSubsections } from '../../../lib/formats/codeview/inlinee-lines';
import { splitDebugSubsections } from '../../../lib/formats/codeview/debug-subsections';

const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
function subsection(kind: number, body: number[]): number[] {
  const out = [...u32(kind), ...u32(body.length), ...body];
  while (out.length % 4) out.push(0);
  return out;
}
const cursor = (b: number[]) => new Cursor(Uint8Array.from(b), 'c13');
const sums = [...u32(1), 0, 0, 0, 0];

test('lines and inlinee lines repeat; ignored and unknown kinds are skipped; bodies are views in order', () => {
  const b = [...subsection(0xf2, [1, 2]), ...subsection(0x800000f2, [9]), ...subsection(0xf6, [3]), ...subsection(0xf2, [4]), ...subsection(0xfd, [5]), ...subsection(0xf6, [6])];
  const s = splitDebugSubsections(cursor(b));
  expect(s.lines.map((c) => [...c.bytes(c.remaining)])).toEqual([[1, 2], [4]]);
  expect(s.inlineeLines.map((c) => [...c.bytes(c.remaining)])).toEqual([[3], [6]]);
  expect(s.checksums).toBeUndefined();
});

test.each([
  ['DEBUG_S_FILECHKSMS', 0xf4],
  ['DEBUG_S_CROSSSCOPEIMPORTS', 0xf7],
  ['DEBUG_S_CROSSSCOPEEXPORTS', 0xf8],
])('a second %s is BAD_FORMAT at its header, for every reader', (name, kind) => {
  const b = [...subsection(kind, sums), ...subsection(0xf2, []), ...subsection(kind, sums)];
  const second = 8 + 8 + 8 + 0; // first body (8) + its header (8) + the empty lines subsection (8)
  for (const read of [() => splitDebugSubsections(cursor(b)), () => findInlineeSubsections(cursor(b)), () => readC13(cursor(b))]) {
    expect(read).toThrow(expect.objectContaining({ code: 'BAD_FORMAT', message: expect.stringContaining(`a second ${name}`) }));
  }
  try {
    splitDebugSubsections(cursor(b));
  } catch (e) {
    expect((e as { offset?: number }).offset).toBe(second);
  }
});

test('a truncated header is BAD_FORMAT', () => {
  expect(() => splitDebugSubsections(cursor([...subsection(0xf2, [1]), 0xf2, 0]))).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
});
