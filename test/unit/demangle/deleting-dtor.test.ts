/**
 * undecorateSymbolName's shortcut for deleting destructors under UNDNAME_NAME_ONLY
 * (lib/demangle/index.ts deletingDestructorName) answers exactly what the engine answers, for
 * names it takes and names it must leave to the engine.
 */
import { UndName, undecorateByEngine, undecorateSymbolName } from '../../../lib/demangle';
import { rng } from '../../helpers/mutate';

const ID_FIRST = 'abcxyzABCXYZ_';
const ID_REST = 'abcXYZ_0189';
const REST = 'UEAAPEAXI@ZQAE$?@abcXYZ_';

function identifier(r: () => number): string {
  let s = ID_FIRST[Math.floor(r() * ID_FIRST.length)];
  const n = Math.floor(r() * 12);
  for (let i = 0; i < n; i++) s += ID_REST[Math.floor(r() * ID_REST.length)];
  return s;
}

describe('deleting destructors under NAME_ONLY', () => {
  test('the engine answers these as the shortcut does', () => {
    for (const [name, want] of [
      ['??_GWidget45@mod0@@UEAAPEAXI@Z', "mod0::Widget45::`scalar deleting destructor'"],
      ['??_EFoo@@UAEPAXI@Z', "Foo::`vector deleting destructor'"],
      ['??_GA@B@C@@QEAAPEAXI@Z', "C::B::A::`scalar deleting destructor'"],
    ]) {
      expect(undecorateSymbolName(name, UndName.NAME_ONLY)).toBe(want);
      expect(undecorateByEngine(name, UndName.NAME_ONLY)).toBe(want);
    }
  });

  test('5,000 generated names, taken or left to the engine: the same answer either way', () => {
    const r = rng(8);
    let taken = 0;
    for (let i = 0; i < 5000; i++) {
      const scopes = Array.from({ length: 1 + Math.floor(r() * 4) }, () => identifier(r));
      let rest = '';
      const n = Math.floor(r() * 40);
      for (let k = 0; k < n; k++) rest += REST[Math.floor(r() * REST.length)];
      // Now and then a digit (a back-reference: the rest is never read), a template or an odd scope (the engine's).
      if (r() < 0.1) rest += String(Math.floor(r() * 10));
      if (r() < 0.05) scopes[0] = `?$V@H@`;
      if (r() < 0.05) scopes.push('0');
      const name = `??_${r() < 0.5 ? 'G' : 'E'}${scopes.join('@')}@@${rest}`;
      if (/^\?\?_[GE](?:[A-Za-z_][A-Za-z0-9_]*@)+@/.test(name)) taken++;
      for (const flags of [UndName.NAME_ONLY, 0, UndName.NAME_ONLY | 0x4000]) {
        expect([name, flags, undecorateSymbolName(name, flags)]).toEqual([name, flags, undecorateByEngine(name, flags)]);
      }
    }
    expect(taken).toBeGreaterThan(4000);
  });
});
