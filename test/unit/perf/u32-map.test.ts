import { U32Map } from '../../../lib/formats/binary/u32-map';

describe('U32Map', () => {
  test('keeps the first value set for a key; -1 for keys it does not have', () => {
    const m = new U32Map(4);
    expect(m.setIfAbsent(0x1005, 7)).toBe(true);
    expect(m.setIfAbsent(0x1005, 9)).toBe(false);
    expect(m.get(0x1005)).toBe(7);
    expect(m.get(0x1006)).toBe(-1);
    expect(m.size).toBe(1);
  });

  test('agrees with a Map over many keys, through growth and clears', () => {
    const m = new U32Map(2);
    let x = 12345;
    for (let round = 0; round < 5; round++) {
      const ref = new Map<number, number>();
      const n = 1 + round * 997;
      for (let i = 0; i < n; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        // Cross-scope ids (0x8xxxxxxx) and 0 are keys like any other.
        const key = i % 7 === 0 ? (x | 0x80000000) >>> 0 : i % 11 === 0 ? 0 : 0x1000 + (x % 5000);
        const set = m.setIfAbsent(key, i);
        expect(set).toBe(!ref.has(key));
        if (set) ref.set(key, i);
      }
      expect(m.size).toBe(ref.size);
      for (const [k, v] of ref) expect(m.get(k)).toBe(v);
      for (let k = 0x1000 + 5000; k < 0x1000 + 5100; k++) expect(m.get(k)).toBe(-1);
      m.clear();
      expect(m.size).toBe(0);
      for (const k of ref.keys()) expect(m.get(k)).toBe(-1);
    }
  });
});
