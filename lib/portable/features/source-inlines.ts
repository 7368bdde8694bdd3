/**
 * The inline API (SymAddrIncludeInlineTrace, SymQueryInlineTrace, SymFromInlineContext,
 * SymGetLineFromInlineContext) for a module whose symbol source lists its own inline chains
 * (SymbolProvider.inlineChainAt: a Breakpad .sym's INLINE records), with the contexts
 * inlines.ts gives PDB chains: (signature, FrameId), FrameId 0 the innermost frame, the
 * signature here from the chain's outermost range start. A frame's SYMBOL_INFO is at the start
 * of the INLINE range holding the address (a .sym keeps no site's first range, which is where
 * the PDB path and Microsoft's dbghelp.dll put it).
 */
import { SymTag } from '../../api/constants';
import type { FromAddrResult, LineInfo, SymbolInfo } from '../../api/types';
import { rva } from '../../formats/binary/address';
import type { LoadedModule } from '../loaded-module';
import type { InlineChainFrame } from '../provider';
import type { HandlerContext } from './context';

export interface SourceChain {
  module: LoadedModule;
  frames: InlineChainFrame[];
  signature: number;
}

/** The chain at an address of a module whose source lists chains itself, or undefined. */
export function sourceChainAt(h: HandlerContext, address: bigint): SourceChain | undefined {
  const module = h.moduleAt(address);
  if (!module?.provider.inlineChainAt) return undefined;
  const frames = module.provider.inlineChainAt(rva(Number(address - module.base)));
  if (!frames.length) return undefined;
  return { module, frames, signature: ((frames[frames.length - 1].rva >>> 4) ^ frames.length) & 0xffff };
}

/** Inline frame `i` (innermost first) as SymFromInlineContext answers it. */
export function sourceFrameSymbol(c: SourceChain, address: bigint, i: number): FromAddrResult {
  const f = c.frames[i];
  const at = c.module.base + BigInt(f.rva);
  const symbol: SymbolInfo = {
    typeIndex: 0,
    index: 0,
    size: 0,
    modBase: c.module.base,
    flags: 0,
    value: 0n,
    address: at,
    register: 0,
    scope: 0,
    tag: SymTag.InlineSite,
    nameLen: f.name.length,
    name: f.name,
  };
  return { symbol, displacement: address - at };
}

/** Inline frame `i`'s line, as SymGetLineFromInlineContext answers it (undefined: no file). */
export function sourceFrameLine(c: SourceChain, address: bigint, i: number): LineInfo | undefined {
  const f = c.frames[i];
  if (f.file === undefined || f.line === undefined) return undefined;
  const at = c.module.base + BigInt(f.rva);
  return { fileName: f.file, lineNumber: f.line, address: at, displacement: Number(address - at) };
}
