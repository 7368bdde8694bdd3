/** `??_C@_<kind><len><crc>@<chars>@` string literal symbols. */
import { Symbol } from './ast';
import { Reader, fail, readNumber } from './parser';

function rebasedHex(c: number): number {
  if (c < 65 || c > 80) fail();
  return c - 65;
}

const DIGIT_CHARS = ',/\\:. \n\t\'-';

function readCharLiteral(r: Reader): number {
  const c = r.next();
  if (c !== '?') return c.charCodeAt(0) & 0xff;
  if (r.empty) fail();
  if (r.eat('$')) {
    if (r.rest < 2) fail();
    const hi = rebasedHex(r.peek());
    const lo = rebasedHex(r.peek(1));
    r.pos += 2;
    return (hi << 4) | lo;
  }
  const d = r.peek();
  r.pos++;
  if (d >= 48 && d <= 57) return DIGIT_CHARS.charCodeAt(d - 48);
  if (d >= 97 && d <= 122) return 0xe1 + (d - 97);
  if (d >= 65 && d <= 90) return 0xc1 + (d - 65);
  return fail();
}

function hexEscape(c: number): string {
  // Pairs of hex digits, as many as needed (\xAB, \xABCD, ...).
  let s = '';
  while (c !== 0) {
    for (let i = 0; i < 2; i++) {
      s = '0123456789ABCDEF'[c % 16] + s;
      c = Math.floor(c / 16);
    }
  }
  return '\\x' + s;
}

function escapeChar(c: number, out: string[]): void {
  switch (c) {
    case 0: out.push('\\0'); return;
    case 0x27: out.push("\\'"); return;
    case 0x22: out.push('\\"'); return;
    case 0x5c: out.push('\\\\'); return;
    case 7: out.push('\\a'); return;
    case 8: out.push('\\b'); return;
    case 12: out.push('\\f'); return;
    case 10: out.push('\\n'); return;
    case 13: out.push('\\r'); return;
    case 9: out.push('\\t'); return;
    case 11: out.push('\\v'); return;
  }
  if (c > 0x1f && c < 0x7f) out.push(String.fromCharCode(c));
  else out.push(hexEscape(c));
}

function guessCharSize(bytes: number[], total: number): number {
  if (total % 2 === 1) return 1;
  if (total < 32) {
    let trailing = 0;
    for (let i = bytes.length - 1; i >= 0 && bytes[i] === 0; i--) trailing++;
    if (trailing >= 4 && total % 4 === 0) return 4;
    if (trailing >= 2) return 2;
    return 1;
  }
  let nulls = 0;
  for (const b of bytes) if (b === 0) nulls++;
  const n = bytes.length;
  if (nulls >= Math.floor((2 * n) / 3) && total % 4 === 0) return 4;
  if (nulls >= Math.floor(n / 3)) return 2;
  return 1;
}

/** After `??_C`. */
export function readStringLiteral(r: Reader): Symbol {
  r.expect('@_');
  const kind = r.next();
  if (kind !== '0' && kind !== '1') fail();
  const wide = kind === '1';
  const [lenRaw, neg] = readNumber(r);
  let len = typeof lenRaw === 'bigint' ? Number(lenRaw) : lenRaw;
  if (neg || len < (wide ? 2 : 1)) fail();
  const crcEnd = r.indexOf('@');
  if (crcEnd < 0) fail();
  r.pos = crcEnd + 1;
  if (r.empty) fail();
  const out: string[] = [];
  let truncated = false;
  let prefix: string;
  if (wide) {
    prefix = 'L"';
    truncated = len > 64;
    while (!r.eat('@')) {
      if (len % 2 !== 0 || len === 0 || r.rest < 2) fail();
      const c1 = readCharLiteral(r);
      if (r.empty) fail();
      const c2 = readCharLiteral(r);
      const w = (c1 << 8) | c2;
      if (len !== 2 || truncated) escapeChar(w, out);
      len -= 2;
    }
  } else {
    const bytes: number[] = [];
    while (!r.eat('@')) {
      if (r.empty || bytes.length >= 128) fail();
      bytes.push(readCharLiteral(r));
    }
    truncated = len > bytes.length;
    const size = guessCharSize(bytes, len);
    prefix = size === 1 ? '"' : size === 2 ? 'u"' : 'U"';
    const n = Math.floor(bytes.length / size);
    for (let i = 0; i < n; i++) {
      let c = 0;
      for (let j = 0; j < size; j++) c += bytes[i * size + j] * 2 ** (8 * j);
      if (i + 1 < n || truncated) escapeChar(c, out);
    }
  }
  return { k: 'string', prefix, text: out.join(''), truncated };
}
