/** In-process de-duplication: one run per key at a time; a live caller does not inherit another's cancellation. */
import { DbgHelpError } from '../../../../lib/api/errors';
import { inFlightCount, once } from '../../../../lib/symsrv/http/in-flight';

const tick = (ms = 10) => new Promise((r) => setTimeout(r, ms));

describe('once', () => {
  test('concurrent callers of one key share one run; other keys run apart', async () => {
    let runs = 0;
    const work = async () => {
      const id = ++runs;
      await tick(30);
      return id;
    };
    const [a, b, c] = await Promise.all([once('k', undefined, work), once('k', undefined, work), once('other', undefined, work)]);
    expect(runs).toBe(2);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(inFlightCount()).toBe(0);
    await once('k', undefined, work);
    expect(runs).toBe(3);
  });

  test('a failure reaches every sharer', async () => {
    const w = async () => {
      await tick();
      throw new Error('boom');
    };
    const r = await Promise.allSettled([once('f', undefined, w), once('f', undefined, w)]);
    expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected']);
  });

  test("the starter's cancellation is not inherited by a live caller, who runs it again", async () => {
    let runs = 0;
    const ac = new AbortController();
    const starter = once('c', ac.signal, async () => {
      runs++;
      await tick(20);
      throw new DbgHelpError('ABORTED', 'cancelled');
    });
    const other = once('c', undefined, async () => {
      runs++;
      return 'mine';
    });
    ac.abort();
    await expect(starter).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await other).toBe('mine');
    expect(runs).toBe(2);
  });
});
