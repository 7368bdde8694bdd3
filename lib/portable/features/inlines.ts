/**
 * Inline frames: SymAddrIncludeInlineTrace, SymQueryInlineTrace, SymFromInlineContext,
 * SymGetLineFromInlineContext, from a module's S_INLINESITE records.
 *
 * Per PDB module, on the first query that lands in it, one walk of its symbol stream indexes its
 * inline sites as typed arrays (inline-index.ts: nesting, code ranges with line and file from
 * the binary annotations and DEBUG_S_INLINEELINES); the IPI LF_FUNC_ID / LF_MFUNC_ID item gives
 * an inlinee's name. The chain at an address is found from the procedure the provider names
 * (inline-chain.ts).
 *
 * Inline contexts (the INLINE_FRAME_CONTEXT DWORD of StackWalkEx and SymQueryInlineTrace):
 *   bits 0-7   FrameId: 0 for the innermost inline frame, +1 per frame outwards, so callers
 *              walk a chain with `curContext + i` for i < SymAddrIncludeInlineTrace(address)
 *   bits 8-15  FrameType: STACK_FRAME_TYPE_INLINE (0x02)
 *   bits 16-31 FrameSignature: a 16-bit hash of the module and the innermost site's record, so
 *              a context used at an address of another chain is recognised as foreign
 * INIT (0) names the innermost inline frame where there is one (Microsoft's dbghelp.dll). A
 * context that is not an inline one (IGNORE 0xffffffff, FrameType without 0x02), a foreign
 * one, or a FrameId past the chain names the physical frame: SymFromInlineContext answers as
 * SymFromAddr and SymGetLineFromInlineContext as SymGetLineFromAddr64 (what dbghelp.dll was
 * observed to do). SymSetScopeFromInlineContext (inlineFrameAt) keeps INIT for the physical
 * frame. See ARCHITECTURE.md "Inline frames".
 */
import { SymTag } from '../../api/constants';
import { badFormat } from '../../api/errors';
import type { FromAddrResult, InlineFrame, InlineTraceQuery, InlineTraceResult, LineInfo, SymbolInfo } from '../../api/types';
import { rva } from '../../formats/binary/address';
import type { Cursor } from '../../formats/binary/cursor';
import { readInlineSite } from '../../formats/codeview/inline-site';
import type { LoadedModule } from '../loaded-module';
import type { PdbProvider } from '../pdb-provider';
import { pdbOf, type HandlerContext } from './context';
import { PdbInlines } from './inline-chain';
import { sourceChainAt, sourceFrameLine, sourceFrameSymbol, type SourceChain } from './source-inlines';
import { NO_FILE } from './inline-index';
import { fileNameOffset, siteAtRecord } from './inline-index-queries';

export { MAX_INLINE_DEPTH } from './inline-chain';

/** INLINE_FRAME_CONTEXT.FrameType of an inline frame (dbghelp.h STACK_FRAME_TYPE_INLINE). */
export const STACK_FRAME_TYPE_INLINE = 0x02;
const INLINE_FRAME_CONTEXT_INIT = 0;
const INLINE_FRAME_CONTEXT_IGNORE = 0xffffffff;

export function encodeInlineContext(signature: number, frameId: number): number {
  return (((signature & 0xffff) << 16) | (STACK_FRAME_TYPE_INLINE << 8) | (frameId & 0xff)) >>> 0;
}

/** The parts of an inline context, or undefined for contexts that name no inline frame. */
export function decodeInlineContext(ctx: number): { signature: number; frameId: number } | undefined {
  if (ctx === INLINE_FRAME_CONTEXT_IGNORE || !((ctx >>> 8) & STACK_FRAME_TYPE_INLINE)) return undefined;
  return { signature: ctx >>> 16, frameId: ctx & 0xff };
}

/** The per-PDB inline state, made on first use. */
function stateOf(provider: PdbProvider): PdbInlines {
  return provider.memo('inlines', () => new PdbInlines(provider));
}

interface Located {
  module: LoadedModule;
  provider: PdbProvider;
  /** Holds the chain at the address (PdbInlines.chainAt), until the next address is asked for. */
  state: PdbInlines;
}

function locate(h: HandlerContext, address: bigint): Located | undefined {
  const module = h.moduleAt(address);
  const provider = pdbOf(module);
  if (!module || !provider) return undefined;
  const pdbRva = provider.toPdbRva(rva(Number(address - module.base)));
  if (pdbRva === undefined) return undefined;
  const state = stateOf(provider);
  return state.chainAt(pdbRva) ? { module, provider, state } : undefined;
}

/** The frame a context names at an address: outermost-first index into the chain, or -1. */
function frameOf(loc: Located | undefined, ctx: number): number {
  const d = decodeInlineContext(ctx);
  if (!loc || !d || d.signature !== loc.state.signature) return -1;
  const depth = loc.state.depth;
  return d.frameId < depth ? depth - 1 - d.frameId : -1;
}

/**
 * SymSetScopeFromInlineContext: the inline frame a context names at an address, as its DBI
 * module and S_INLINESITE record; undefined when the context names the physical frame (INIT,
 * IGNORE, another chain's context, a FrameId past the chain: the same rule as
 * SymFromInlineContext).
 */
export function inlineFrameAt(h: HandlerContext, address: bigint, ctx: number): { mod: number; record: number } | undefined {
  const loc = decodeInlineContext(ctx) ? locate(h, address) : undefined;
  const frame = frameOf(loc, ctx);
  if (!loc || frame < 0) return undefined;
  const idx = loc.state.idx!;
  return { mod: idx.mod, record: idx.siteRecord[loc.state.sites[frame]] };
}

/**
 * An S_INLINESITE as a symbol (SymGetTypeInfo on its id): the inlinee's name and function
 * type, and the PDB RVA where its first code range starts (Wine's TI_GET_ADDRESS of an
 * inline site: its first range's start); no start for a site without code.
 */
export function inlineSiteFacts(provider: PdbProvider, mod: number, record: number, kind: number, data: Cursor): { name: string; typeIndex: number; start: number | undefined } {
  const state = stateOf(provider);
  const { inlinee } = readInlineSite(kind, data);
  const { name, typeIndex } = state.name(mod, inlinee);
  const idx = state.module(mod);
  const site = siteAtRecord(idx, record);
  const first = site < 0 ? -1 : idx.rangeFirst[site];
  return { name, typeIndex, start: first >= 0 && first < idx.rangeFirst[site + 1] ? idx.rangeStart[first] : undefined };
}

/** Image VA of a PDB RVA in a located module, and the displacement of `address` from it. */
function place(loc: Located, address: bigint, pdbStart: number): { address: bigint; displacement: bigint } {
  const start = loc.module.base + BigInt(loc.provider.toImageRva(pdbStart));
  if (start <= address) return { address: start, displacement: address - start };
  // Reordered (OMAP) code moved before the range's start: the distance in the PDB's layout.
  const pdbAt = loc.provider.toPdbRva(rva(Number(address - loc.module.base))) ?? pdbStart;
  return { address: start, displacement: BigInt(pdbAt - pdbStart) };
}

/** SymFromAddr / SymGetLineFromAddr64: what the physical frame answers. */
function physicalSymbol(h: HandlerContext, address: bigint): FromAddrResult | undefined {
  return h.fromAddr?.(address);
}
function physicalLine(h: HandlerContext, address: bigint): LineInfo | undefined {
  return h.getLineFromAddr?.(address);
}

export function addrIncludeInlineTrace(h: HandlerContext, address: bigint): number {
  const src = sourceChainAt(h, address);
  if (src) return src.frames.length;
  return locate(h, address)?.state.depth ?? 0;
}

export function queryInlineTrace(h: HandlerContext, q: InlineTraceQuery): InlineTraceResult | undefined {
  // The documentation asks for a StartAddress or StartRetAddress in CurAddress's function, but
  // Microsoft's dbghelp.dll does not check it (a start in another function is answered as one
  // at CurAddress), so neither is looked at here.
  const src = sourceChainAt(h, q.curAddress);
  if (src) {
    const d = decodeInlineContext(q.startContext);
    const frameId = d && d.signature === src.signature && d.frameId < src.frames.length ? d.frameId : 0;
    return { curContext: encodeInlineContext(src.signature, frameId), curFrameIndex: frameId };
  }
  const loc = locate(h, q.curAddress);
  // No inline frame here: the physical frame's context (INLINE_FRAME_CONTEXT_INIT).
  if (!loc) return physicalSymbol(h, q.curAddress) ? { curContext: 0, curFrameIndex: 0 } : undefined;
  // A start context naming a frame of this chain is where the walk stands; else the innermost.
  const start = frameOf(loc, q.startContext);
  const frameId = start < 0 ? 0 : loc.state.depth - 1 - start;
  return { curContext: encodeInlineContext(loc.state.signature, frameId), curFrameIndex: frameId };
}

/**
 * The frame SymFromInlineContext / SymGetLineFromInlineContext answer for a context: an inline
 * context of this chain names its frame; INIT (0) names the innermost inline frame where there
 * is one (Microsoft's dbghelp.dll: SymFromInlineContext(address, 0) answers the innermost
 * site); anything else the physical frame (-1).
 */
/** The innermost-first frame a context names in a source's chain (INIT: the innermost), or -1. */
function sourceFrame(src: SourceChain, ctx: number): number {
  if (ctx === INLINE_FRAME_CONTEXT_INIT) return 0;
  const d = decodeInlineContext(ctx);
  return d && d.signature === src.signature && d.frameId < src.frames.length ? d.frameId : -1;
}

function answering(h: HandlerContext, address: bigint, ctx: number): { loc: Located | undefined; frame: number } {
  if (ctx === INLINE_FRAME_CONTEXT_INIT) {
    const loc = locate(h, address);
    return { loc, frame: loc ? loc.state.depth - 1 : -1 };
  }
  const loc = decodeInlineContext(ctx) ? locate(h, address) : undefined;
  return { loc, frame: frameOf(loc, ctx) };
}

export function fromInlineContext(h: HandlerContext, address: bigint, ctx: number): FromAddrResult | undefined {
  const src = sourceChainAt(h, address);
  if (src) {
    const i = sourceFrame(src, ctx);
    return i < 0 ? physicalSymbol(h, address) : sourceFrameSymbol(src, address, i);
  }
  const { loc, frame } = answering(h, address, ctx);
  if (!loc || frame < 0) return physicalSymbol(h, address);
  const { state, provider } = loc;
  const idx = state.idx!;
  const site = state.sites[frame];
  const { name, typeIndex } = state.name(idx.mod, idx.siteInlinee[site]);
  // Microsoft's dbghelp.dll: the symbol is at the start of the site's first range, wherever the
  // range holding the address is (corpus oracle inlines[].rva); the line at its own range's.
  const at = place(loc, address, idx.rangeStart[idx.rangeFirst[site]]);
  const stream = provider.pdb.modules()[idx.mod].symStream;
  const symbol: SymbolInfo = {
    typeIndex,
    index: provider.id(stream, idx.siteRecord[site]),
    size: 0,
    modBase: loc.module.base,
    flags: 0,
    value: 0n,
    address: at.address,
    register: 0,
    scope: 0,
    tag: SymTag.InlineSite,
    nameLen: name.length,
    name,
  };
  return { symbol, displacement: at.displacement };
}

/**
 * The inline frames at an address, innermost first, as walkInlineFrames (symbolicate/
 * inline-frames.ts) gets them through the four calls above, from one chain search: frame i
 * (innermost first) is what context `curContext + i` names, its symbol at the start of its
 * site's first range, its line that of the range holding the address. undefined for a module
 * whose source lists its own chains (the walk answers those).
 */
export function inlineFramesAt(h: HandlerContext, address: bigint): InlineFrame[] | undefined {
  if (sourceChainAt(h, address)) return undefined;
  const loc = locate(h, address);
  if (!loc) return [];
  const { state, provider } = loc;
  const idx = state.idx!;
  const out: InlineFrame[] = [];
  const memo = state.frameMemo;
  if (memo.idx !== idx) {
    memo.idx = idx;
    memo.site.fill(-1);
    memo.file.fill(-1);
  }
  for (let frame = state.depth - 1; frame >= 0; frame--) {
    const site = state.sites[frame];
    // Addresses in order meet the same sites at the same depth one after another: the last
    // name and file found there are reused without the lookups behind them.
    if (memo.site[frame] !== site) {
      memo.name[frame] = state.name(idx.mod, idx.siteInlinee[site]).name;
      memo.site[frame] = site;
    }
    const name = memo.name[frame];
    const at = place(loc, address, idx.rangeStart[idx.rangeFirst[site]]).address;
    const r = state.ranges[frame];
    const file = idx.rangeFile[r];
    if (file === NO_FILE) {
      out.push({ symbol: name, address: at });
      continue;
    }
    if (memo.file[frame] !== file) {
      const names = provider.pdb.names();
      if (!names) throw badFormat(provider.pdb.name, 0, 'inline line tables name files, but the PDB has no /names stream');
      memo.fileName[frame] = names.get(fileNameOffset(idx, file, provider.pdb.name));
      memo.file[frame] = file;
    }
    out.push({ symbol: name, address: at, file: memo.fileName[frame], line: idx.rangeLine[r] });
  }
  return out;
}

export function getLineFromInlineContext(h: HandlerContext, address: bigint, ctx: number): LineInfo | undefined {
  const src = sourceChainAt(h, address);
  if (src) {
    const i = sourceFrame(src, ctx);
    return i < 0 ? physicalLine(h, address) : sourceFrameLine(src, address, i);
  }
  const { loc, frame } = answering(h, address, ctx);
  if (!loc || frame < 0) return physicalLine(h, address);
  const { state, provider } = loc;
  const idx = state.idx!;
  const r = state.ranges[frame];
  const file = idx.rangeFile[r];
  if (file === NO_FILE) return undefined;
  const names = provider.pdb.names();
  if (!names) throw badFormat(provider.pdb.name, 0, 'inline line tables name files, but the PDB has no /names stream');
  const at = place(loc, address, idx.rangeStart[r]);
  return {
    fileName: names.get(fileNameOffset(idx, file, provider.pdb.name)),
    lineNumber: idx.rangeLine[r],
    address: at.address,
    displacement: Number(at.displacement),
  };
}
