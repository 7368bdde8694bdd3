/** Stack walking (StackWalkEx's job) over registers, memory and modules: see walk.ts. */
export * from './types';
export { walkStack, DEFAULT_MAX_FRAMES, SCAN_WORDS, SCAN_WORDS_CONTEXT } from './walk';
export { pdbX86FrameInfo, pdbX86FrameTables } from './x86-frame-info';
export { imageWalkModule } from './image-module';
export { isReturnAddress } from './scan';
export { breakpadWalkInfo, stackWinFrameInfo } from './breakpad-walk-info';
export type { BreakpadWalkInfo } from './breakpad-walk-info';
export { evaluateCfiExpression } from './cfi-expression';
