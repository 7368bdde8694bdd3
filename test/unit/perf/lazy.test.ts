/**
 * lib/lazy.ts: modules required on first use, and all of them at once for a harness that loads
 * the library in an isolated registry (test/conformance/backends.ts).
 */
import { lazy, loadLazyModules } from '../../../lib/lazy';

describe('lazy', () => {
  test('a lazy module is loaded on first use, once; loadLazyModules loads those not used yet', () => {
    const loaded: string[] = [];
    const a = lazy(() => (loaded.push('a'), { name: 'a' }));
    const b = lazy(() => (loaded.push('b'), { name: 'b' }));
    expect(loaded).toEqual([]);
    const first = a();
    expect(a()).toBe(first);
    expect(loaded).toEqual(['a']);
    loadLazyModules();
    expect(loaded).toEqual(['a', 'b']);
    expect(b().name).toBe('b');
    expect(loaded).toEqual(['a', 'b']);
  });
  test('the real ones load: the portable handler features and the undecorator', () => {
    // Loading every module declared lazy so far (by the imports above and below) must not throw.
    require('../../../lib/portable/handler');
    require('../../../lib/portable/open-module');
    expect(() => loadLazyModules()).not.toThrow();
  });
});
