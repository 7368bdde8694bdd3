/**
 * What a symbol store may serve for a name, checked before a byte reaches the cache.
 *
 * Symbol servers behind a proxy or single sign-on answer a missing or unauthorised file with
 * "200 OK" and an HTML login page; stored as `ntdll.pdb` it would poison the cache. So a
 * response is refused when its Content-Type is HTML, when its body starts with `<` (after
 * blanks or a UTF-8 BOM), or when its first bytes are not the magic of what was asked for:
 *   PDB   "Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0" (MSF 7.00; the old
 *         "Microsoft C/C++ program database 2.00\r\n" is let through to the caller's check)
 *   PE    "MZ" (exe, dll, sys, ...)
 *   CAB   "MSCF" (a compressed `name.xx_`)
 * Other names (a .dbg, a .sym) are only checked for HTML.
 */
import { MSF2_MAGIC_PREFIX, MSF7_MAGIC } from '../../formats/msf/superblock';

export type Expected = 'pdb' | 'pe' | 'cab' | 'any';

/** Bytes needed before the magic can be judged (shorter bodies are judged at their end). */
export const MAGIC_BYTES = 32;

export class ContentRefused extends Error {
  override readonly name = 'ContentRefused';
  constructor(
    message: string,
    readonly reason: 'html' | 'magic' | 'encoding',
  ) {
    super(message);
  }
}

const IMAGE_EXTS = new Set(['exe', 'dll', 'sys', 'drv', 'ocx', 'cpl', 'scr', 'efi', 'mui', 'com', 'winmd', 'node']);

/** What a store file named `name` must contain; a name ending in `_` is a CAB. */
export function expectedFor(name: string): Expected {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (ext.endsWith('_')) return 'cab';
  if (ext === 'pdb') return 'pdb';
  if (IMAGE_EXTS.has(ext)) return 'pe';
  return 'any';
}

/** Refuses an HTML or encoded response from its headers alone. */
export function checkHeaders(contentType: string | undefined, contentEncoding: string | undefined): void {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') {
    throw new ContentRefused(`the server answered with ${type} (a login or error page?), not a symbol file`, 'html');
  }
  const enc = (contentEncoding ?? '').trim().toLowerCase();
  if (enc && enc !== 'identity') {
    throw new ContentRefused(`the server sent the body with Content-Encoding ${enc} though identity was asked for`, 'encoding');
  }
}

/** Refuses a body whose first bytes are markup or not the expected magic. */
export function checkMagic(head: Uint8Array, expected: Expected): void {
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (head[i] === 0x3c /* < */) throw new ContentRefused('the body is markup (starts with <), not a symbol file', 'html');
  const text = String.fromCharCode(...head.subarray(0, MAGIC_BYTES));
  switch (expected) {
    case 'pdb':
      if (text.startsWith(MSF7_MAGIC) || text.startsWith(MSF2_MAGIC_PREFIX.slice(0, MAGIC_BYTES))) return;
      throw new ContentRefused(`not a PDB: no MSF signature in the first bytes (${printable(head)})`, 'magic');
    case 'pe':
      if (text.startsWith('MZ')) return;
      throw new ContentRefused(`not a PE image: no MZ signature (${printable(head)})`, 'magic');
    case 'cab':
      if (text.startsWith('MSCF')) return;
      throw new ContentRefused(`not a CAB archive: no MSCF signature (${printable(head)})`, 'magic');
    case 'any':
      return;
  }
}

function printable(b: Uint8Array): string {
  const s = Array.from(b.subarray(0, 16), (c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.')).join('');
  return b.length ? `'${s}'` : 'empty body';
}
