/**
 * What a Breakpad symbol file gives the walker for its module (attach it to a WalkModule:
 * `{ ...module, ...breakpadWalkInfo(symbols) }`):
 * - `x86FrameInfo(rva)`: the innermost STACK WIN record (type 4 FRAME_DATA before type 0 FPO,
 *   BreakpadSymbols.stackWin) as X86FrameInfo: type 4 → `framedata` with its program string (or,
 *   without one, its allocates_base_pointer), types 0-3 → `fpo` with that FPO frame type;
 * - `cfiRules(rva)`: the STACK CFI rules in effect at rva (the INIT record and the deltas at or
 *   below rva), as BreakpadSymbols.cfi answers them.
 */
import type { BreakpadStackWin, BreakpadSymbols } from '../formats/breakpad';
import { X86FrameInfo } from './types';

export interface BreakpadWalkInfo {
  x86FrameInfo(rva: number): X86FrameInfo | undefined;
  cfiRules(rva: number): Readonly<Record<string, string>> | undefined;
}

export function breakpadWalkInfo(symbols: BreakpadSymbols): BreakpadWalkInfo {
  return {
    x86FrameInfo: (rva) => {
      const w = symbols.stackWin(rva);
      return w ? stackWinFrameInfo(w) : undefined;
    },
    cfiRules: (rva) => symbols.cfi(rva)?.rules,
  };
}

export function stackWinFrameInfo(w: BreakpadStackWin): X86FrameInfo {
  const framedata = w.type === 4;
  return {
    kind: framedata ? 'framedata' : 'fpo',
    rvaStart: w.address,
    codeSize: w.codeSize,
    prologSize: w.prologueSize,
    savedRegsSize: w.savedRegisterSize,
    localsSize: w.localSize,
    paramsSize: w.parameterSize,
    maxStackSize: w.maxStackSize,
    ...(w.programString !== undefined ? { program: w.programString } : {}),
    allocatesBasePointer: w.allocatesBasePointer,
    ...(framedata ? {} : { fpoFrameType: w.type }),
  };
}
