/**
 * The CodeView register numbers (cvconst.h CV_HREG_e) the scope code names, and the frame
 * registers S_FRAMEPROC's 2-bit codes stand for (LLVM decodeFramePtrReg; ARM64 as Microsoft
 * documents its frames: SP, FP = x29, x19 for realigned frames).
 * Register numbers are per machine (22 is EBP on x86, but W12 on ARM64): SymbolInfo.register
 * keeps them as they are, as DbgHelp does.
 */
import { MachineType } from '../../api/constants';

export const CvReg = {
  NONE: 0,
  // x86
  EBX: 20,
  ESP: 21,
  EBP: 22,
  /** CV_ALLREG_VFRAME: x86's virtual frame pointer (frame-pointer-omitted frames). */
  VFRAME: 30006,
  // x64
  RBP: 334,
  RSP: 335,
  R13: 341,
  // ARM64
  ARM64_X19: 69,
  ARM64_FP: 79,
  ARM64_SP: 81,
} as const;

/** S_FRAMEPROC's encoded base pointer (0..3) as a register of `machine`; 0 for none/unknown. */
export function decodeFramePointer(encoded: number, machine: number): number {
  const table =
    machine === MachineType.I386
      ? [CvReg.NONE, CvReg.VFRAME, CvReg.EBP, CvReg.EBX]
      : machine === MachineType.AMD64
        ? [CvReg.NONE, CvReg.RSP, CvReg.RBP, CvReg.R13]
        : machine === MachineType.ARM64
          ? [CvReg.NONE, CvReg.ARM64_SP, CvReg.ARM64_FP, CvReg.ARM64_X19]
          : [];
  return table[encoded & 3] ?? CvReg.NONE;
}

/**
 * The frame register when S_FRAMEPROC names none (or is missing): x86's virtual frame, the
 * stack pointer elsewhere.
 */
export function defaultFramePointer(machine: number): number {
  if (machine === MachineType.I386) return CvReg.VFRAME;
  if (machine === MachineType.AMD64) return CvReg.RSP;
  if (machine === MachineType.ARM64) return CvReg.ARM64_SP;
  return CvReg.NONE;
}

/** The register S_BPREL32 offsets are from: the machine's frame pointer. */
export function bpRelRegister(machine: number): number {
  if (machine === MachineType.AMD64) return CvReg.RBP;
  if (machine === MachineType.ARM64) return CvReg.ARM64_FP;
  return CvReg.EBP;
}
