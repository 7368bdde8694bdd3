/** The per-host breaker: opens after N failures in a row, half-opens after the cool-down. */
import { BreakerBoard } from '../../../../lib/symsrv/http/breaker';

describe('BreakerBoard', () => {
  let now = 0;
  const o = { threshold: 3, cooldownMs: 1000, now: () => now };

  test('closed until N failures in a row; a success in between resets the count', () => {
    const b = new BreakerBoard();
    expect(b.failure('h', o)).toBe(false);
    expect(b.failure('h', o)).toBe(false);
    b.success('h');
    expect(b.failure('h', o)).toBe(false);
    expect(b.failure('h', o)).toBe(false);
    expect(b.admit('h', o)).toEqual({ allowed: true });
    expect(b.failure('h', o)).toBe(true);
    expect(b.admit('h', o)).toEqual({ allowed: false, retryInMs: 1000, failures: 3 });
    expect(b.admit('other', o)).toEqual({ allowed: true });
  });

  test('after the cool-down one trial goes through; its failure re-opens, its success closes', () => {
    const b = new BreakerBoard();
    now = 0;
    for (let i = 0; i < 3; i++) b.failure('h', o);
    now = 999;
    expect(b.admit('h', o).allowed).toBe(false);
    now = 1000;
    expect(b.admit('h', o)).toEqual({ allowed: true });
    expect(b.admit('h', o)).toMatchObject({ allowed: false }); // only one trial at a time
    expect(b.failure('h', o)).toBe(true);
    expect(b.admit('h', o)).toEqual({ allowed: false, retryInMs: 1000, failures: 4 });
    now = 2000;
    expect(b.admit('h', o).allowed).toBe(true);
    b.success('h');
    expect(b.admit('h', o)).toEqual({ allowed: true });
    expect(b.admit('h', o)).toEqual({ allowed: true });
  });

  test('a cancelled trial lets the next request try', () => {
    const b = new BreakerBoard();
    now = 0;
    for (let i = 0; i < 3; i++) b.failure('h', o);
    now = 5000;
    expect(b.admit('h', o).allowed).toBe(true);
    expect(b.admit('h', o).allowed).toBe(false);
    b.release('h');
    expect(b.admit('h', o).allowed).toBe(true);
  });
});
