/**
 * CommentStreamA (10) and CommentStreamW (11), minidumpapiset.h: the whole stream is the
 * comment, ANSI or UTF-16LE, with or without a terminating NUL.
 */
import type { Cursor } from '../binary/cursor';

export function readComment(c: Cursor, wide: boolean): string {
  const b = c.bytes(wide ? c.remaining & ~1 : c.remaining, 'comment');
  const s = new TextDecoder(wide ? 'utf-16le' : 'latin1').decode(b);
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}
