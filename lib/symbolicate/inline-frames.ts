/**
 * The inline frames at an address, innermost first, walked the way DbgHelp users do:
 * SymAddrIncludeInlineTrace gives the count, SymQueryInlineTrace the innermost frame's context,
 * and `context + i` each frame further out (SymFromInlineContext, SymGetLineFromInlineContext).
 * The physical frame is the caller's SymFromAddr answer and is never listed here: a context
 * that answers with something other than an inline site (a backend falling back to SymFromAddr,
 * which is what context 0 gives) ends the walk instead of repeating the function.
 */
import { InlineFrameContext, SymTag } from '../api/constants';
import type { InlineFrame } from '../api/types';
import type { SymbolHandler } from '../handler';

export type { InlineFrame };

/** The inline frames at an address (SymbolHandler.inlineFrames: the backend's own search, or the walk below). */
export function inlineFrames(sym: SymbolHandler, address: bigint): InlineFrame[] {
  return sym.inlineFrames(address);
}

/** The walk over SymAddrIncludeInlineTrace, SymQueryInlineTrace and the two per-context calls. */
export function walkInlineFrames(sym: Pick<SymbolHandler, 'addrIncludeInlineTrace' | 'queryInlineTrace' | 'fromInlineContext' | 'getLineFromInlineContext'>, address: bigint): InlineFrame[] {
  const n = sym.addrIncludeInlineTrace(address);
  if (!n) return [];
  const q = sym.queryInlineTrace({ startAddress: address, startContext: InlineFrameContext.INIT, startRetAddress: address, curAddress: address });
  if (!q) return [];
  const out: InlineFrame[] = [];
  for (let i = 0; i < n; i++) {
    const ctx = (q.curContext + i) >>> 0;
    const hit = sym.fromInlineContext(address, ctx);
    if (!hit || hit.symbol.tag !== SymTag.InlineSite) break;
    const line = sym.getLineFromInlineContext(address, ctx);
    out.push(line ? { symbol: hit.symbol.name, address: hit.symbol.address, file: line.fileName, line: line.lineNumber } : { symbol: hit.symbol.name, address: hit.symbol.address });
  }
  return out;
}
