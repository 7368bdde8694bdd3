/** Batch symbolication: Mozilla's symbolication API v5 over the symbol handler. */
export { Symbolicator, symbolicate } from './symbolicator';
export { splitDebugId } from './debug-id';
export type { SymbolicationRequest, SymbolicationJob, SymbolicationResponse, SymbolicationResult, SymbolicatedFrame, SymbolicatedInlineFrame, SymbolicateOptions } from './types';
