/**
 * Line walks: SymGetLineNext64/Prev64, SymGetLineFromName64, SymEnumLines, SymEnumSourceFiles.
 */
import { DbgHelpError } from '../../api/errors';
import type { EnumLinesOptions, LineInfo, SourceFile, SourceLine } from '../../api/types';
import type { HandlerContext } from './context';

export function getLineNext(_h: HandlerContext, _line: LineInfo, _step: 1 | -1): LineInfo | undefined {
  throw new DbgHelpError('UNSUPPORTED', 'getLineNext/getLinePrev: not implemented in the portable backend yet');
}

export function getLineFromName(_h: HandlerContext, _moduleName: string | undefined, _fileName: string, _lineNumber: number): LineInfo | undefined {
  throw new DbgHelpError('UNSUPPORTED', 'getLineFromName: not implemented in the portable backend yet');
}

export function enumLines(_h: HandlerContext, _base: bigint, _opts: EnumLinesOptions): IterableIterator<SourceLine> {
  throw new DbgHelpError('UNSUPPORTED', 'enumLines: not implemented in the portable backend yet');
}

export function enumSourceFiles(_h: HandlerContext, _base: bigint, _mask: string | undefined): IterableIterator<SourceFile> {
  throw new DbgHelpError('UNSUPPORTED', 'enumSourceFiles: not implemented in the portable backend yet');
}
