/**
 * One walked frame, symbolicated through the handler's DbgHelp-shaped API: SymFromAddr and
 * SymGetLineFromAddr64 at the lookup address (the instruction for the context frame, return
 * address - 1 for callers, so a call at a function's end is not taken for the next function),
 * and the inline frames there, innermost first, as DbgHelp users walk them
 * (SymAddrIncludeInlineTrace, SymQueryInlineTrace, SymFromInlineContext,
 * SymGetLineFromInlineContext). The physical frame keeps SymGetLineFromAddr64's line: inside
 * inlined code, the call site in the enclosing function; no frame is listed twice.
 */
import type { SymbolHandler } from '../handler';
import { inlineFrames } from '../symbolicate/inline-frames';
import type { FrameOut } from './process-state';

/** What symbols say about a frame: FrameOut's symbol fields (offsets from the lookup address). */
export type FrameSymbols = Pick<FrameOut, 'function' | 'functionOffset' | 'file' | 'line' | 'lineOffset' | 'inlines'>;

export function symbolicateAt(sym: SymbolHandler, lookup: bigint, withInlines: boolean): FrameSymbols {
  const out: FrameSymbols = { inlines: [] };
  const hit = sym.fromAddr(lookup);
  if (hit) {
    out.function = hit.symbol.name;
    out.functionOffset = lookup - hit.symbol.address;
  }
  const line = sym.getLineFromAddr(lookup);
  if (line) {
    out.file = line.fileName;
    out.line = line.lineNumber;
    out.lineOffset = lookup - line.address;
  }
  if (withInlines && hit) out.inlines = inlineFrames(sym, lookup).map((f) => (f.file !== undefined ? { function: f.symbol, file: f.file, line: f.line } : { function: f.symbol }));
  return out;
}
