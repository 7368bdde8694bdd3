/** Bounds-checked cursor over a decorated name, plus the per-parse state. */
import type { Ident, Type } from './ast';

/** Thrown (and caught in index.ts) when the input cannot be undecorated. */
export class DemangleError extends Error {}

/** Deepest nesting of types/templates/scopes we follow before giving up. */
export const MAX_DEPTH = 256;

export function fail(): never {
  throw new DemangleError('invalid mangled name');
}

export interface Backrefs {
  /** Up to 10 memorized names (`0`..`9`), stored rendered. */
  names: Ident[];
  /** Up to 10 memorized function parameter types. */
  params: Type[];
}

export class Reader {
  pos = 0;
  depth = 0;
  backrefs: Backrefs = { names: [], params: [] };
  constructor(readonly s: string) {}

  get empty(): boolean {
    return this.pos >= this.s.length;
  }
  get rest(): number {
    return this.s.length - this.pos;
  }
  /** Current char code, or -1 at end. */
  peek(off = 0): number {
    const i = this.pos + off;
    return i < this.s.length ? this.s.charCodeAt(i) : -1;
  }
  peekChar(off = 0): string {
    const i = this.pos + off;
    return i < this.s.length ? this.s[i] : '';
  }
  /** Reads one char; fails at end of input. */
  next(): string {
    if (this.pos >= this.s.length) fail();
    return this.s[this.pos++];
  }
  startsWith(p: string): boolean {
    return this.s.startsWith(p, this.pos);
  }
  /** Consumes `p` if the input continues with it. */
  eat(p: string): boolean {
    if (p.length === 1) {
      if (this.pos < this.s.length && this.s[this.pos] === p) {
        this.pos++;
        return true;
      }
      return false;
    }
    if (this.s.startsWith(p, this.pos)) {
      this.pos += p.length;
      return true;
    }
    return false;
  }
  expect(p: string): void {
    if (!this.eat(p)) fail();
  }
  startsWithDigit(): boolean {
    const c = this.peek();
    return c >= 48 && c <= 57;
  }
  indexOf(ch: string): number {
    return this.s.indexOf(ch, this.pos);
  }
  enter(): void {
    if (++this.depth > MAX_DEPTH) fail();
  }
  leave(): void {
    this.depth--;
  }
}

/**
 * <number> ::= [?] <digit>          # 1..10
 *          ::= [?] <A-P hex>* @     # 0 or >= 10
 * Returns [value, negative]. Values above 2^53 are kept as bigint.
 */
export function readNumber(r: Reader): [number | bigint, boolean] {
  const neg = r.eat('?');
  const c = r.peek();
  if (c >= 48 && c <= 57) {
    r.pos++;
    return [c - 48 + 1, neg];
  }
  const start = r.pos;
  let v = 0;
  const s = r.s;
  for (let i = start; i < s.length; i++) {
    const d = s.charCodeAt(i);
    if (d === 64 /* @ */) {
      r.pos = i + 1;
      if (i - start > 13) {
        let b = 0n;
        for (let j = start; j < i; j++) b = (b << 4n) + BigInt(s.charCodeAt(j) - 65);
        if (b > 0xffffffffffffffffn) b &= 0xffffffffffffffffn;
        return [b, neg];
      }
      return [v, neg];
    }
    if (d >= 65 && d <= 80) {
      v = v * 16 + (d - 65);
      continue;
    }
    break;
  }
  return fail();
}

export function readUnsigned(r: Reader): number | bigint {
  const [v, neg] = readNumber(r);
  if (neg) fail();
  return v;
}

export function readSigned(r: Reader): number | bigint {
  const [v, neg] = readNumber(r);
  if (typeof v === 'bigint') {
    if (v > 0x7fffffffffffffffn) fail();
    return neg ? -v : v;
  }
  return neg ? -v : v;
}
