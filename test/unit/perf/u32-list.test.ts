/** U32List (lib/formats/binary/u32-list.ts): narrow() keeps 16 bits only where every entry fits. */
import { U32List } from '../../../lib/formats/binary/u32-list';

const listOf = (values: number[]) => {
  const l = new U32List(2);
  for (const v of values) l.push(v);
  return l;
};

describe('U32List.narrow', () => {
  test('16 bits when every entry is at most 0xffff, trimmed to the list', () => {
    const l = listOf([0, 7, 0xffff, 300, 1]);
    expect(l.items.length).toBeGreaterThan(l.length);
    const a = l.narrow();
    expect(a).toBeInstanceOf(Uint16Array);
    expect([...a]).toEqual([0, 7, 0xffff, 300, 1]);
  });

  test('32 bits as soon as one entry is wider (0x10000, NO_FILE), values unchanged', () => {
    for (const wide of [0x10000, 0xffffffff]) {
      const a = listOf([1, wide, 2]).narrow();
      expect(a).toBeInstanceOf(Uint32Array);
      expect([...a]).toEqual([1, wide, 2]);
    }
  });

  test('an empty list, and a list cleared after wide entries', () => {
    expect(new U32List().narrow()).toEqual(new Uint16Array(0));
    const l = listOf([0x12345678, 9]);
    l.clear();
    l.push(5);
    expect(l.narrow()).toEqual(Uint16Array.of(5));
  });
});
