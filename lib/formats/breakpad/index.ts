/** Breakpad symbol files (.sym): reading. The writer is lib/breakpad/dump-syms.ts. */
export { BreakpadSymbols, parseBreakpadSymbols, readBreakpadSymbols, HOLD_BYTES } from './sym-file';
export type { BreakpadLookup, BreakpadInline, BreakpadStackWin, BreakpadCfi, BreakpadModule, CfiRules } from './sym-file';
export { cfiRules } from './cfi-rules';
export { SymParser, MAX_LINE } from './sym-parser';
export { SymIndex } from './sym-index';
export { SymBytes } from './sym-bytes';
