/**
 * Types from TPI/IPI: SymGetTypeFromName, SymEnumTypes(ByName), SymGetTypeInfo.
 */
import { DbgHelpError } from '../../api/errors';
import type { SymbolInfo, TypeInfoValue } from '../../api/types';
import type { HandlerContext } from './context';

function unsupported(what: string): never {
  throw new DbgHelpError('UNSUPPORTED', `${what}: the portable backend does not read TPI types yet`);
}

export function getTypeFromName(_h: HandlerContext, _base: bigint, _name: string): SymbolInfo | undefined {
  unsupported('getTypeFromName');
}
export function enumTypes(_h: HandlerContext, _base: bigint, _mask: string | undefined): IterableIterator<SymbolInfo> {
  unsupported('enumTypes');
}
export function getTypeInfo(_h: HandlerContext, _base: bigint, _typeId: number, _request: number): TypeInfoValue | undefined {
  unsupported('getTypeInfo');
}
