/**
 * Inline frames: SymAddrIncludeInlineTrace, SymQueryInlineTrace, SymFromInlineContext,
 * SymGetLineFromInlineContext.
 */
import { DbgHelpError } from '../../api/errors';
import type { FromAddrResult, InlineTraceQuery, InlineTraceResult, LineInfo } from '../../api/types';
import type { HandlerContext } from './context';

function unsupported(what: string): never {
  throw new DbgHelpError('UNSUPPORTED', `${what}: inline frames are not implemented in the portable backend yet`);
}

export function addrIncludeInlineTrace(_h: HandlerContext, _address: bigint): number {
  unsupported('addrIncludeInlineTrace');
}
export function queryInlineTrace(_h: HandlerContext, _q: InlineTraceQuery): InlineTraceResult | undefined {
  unsupported('queryInlineTrace');
}
export function fromInlineContext(_h: HandlerContext, _address: bigint, _ctx: number): FromAddrResult | undefined {
  unsupported('fromInlineContext');
}
export function getLineFromInlineContext(_h: HandlerContext, _address: bigint, _ctx: number): LineInfo | undefined {
  unsupported('getLineFromInlineContext');
}
