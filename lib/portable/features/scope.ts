/**
 * The scope SymSetContext / SymSetScopeFromAddr selects, and the locals and parameters
 * SymEnumSymbols lists for it.
 */
import { DbgHelpError } from '../../api/errors';
import type { StackFrameContext, SymbolInfo } from '../../api/types';
import type { HandlerContext } from './context';

export class Scope {
  /** SymSetContext: false when the instruction is in no known function. */
  set(_h: HandlerContext, _frame: StackFrameContext): boolean {
    throw new DbgHelpError('UNSUPPORTED', 'setContext: scopes are not implemented in the portable backend yet');
  }
  /** Whether a context is set (enumSymbols without a module then lists the scope). */
  get active(): boolean {
    return false;
  }
  /** The scope's locals and parameters matching a mask. */
  *enumerate(_h: HandlerContext, _match: (name: string) => boolean): IterableIterator<SymbolInfo> {}
  clear(): void {}
}
