/** X86FrameIndex. */
import { X86FrameIndex, assignsEbp } from '../../../lib/dump/frame-info';
import type { PdbFile } from '../../../lib/formats/pdb/pdb-file';

describe('X86FrameIndex', () => {
  const fake = (frameData: object[], fpo: object[], names: Record<number, string>) =>
    ({ frameData: () => frameData, fpo: () => fpo, names: () => ({ get: (o: number) => names[o] }) }) as unknown as PdbFile;
  const fd = (rvaStart: number, blockSize: number, extra: object = {}) => ({ rvaStart, blockSize, localsSize: 8, paramsSize: 4, maxStackSize: 0, frameFunc: 0, prologSize: 3, savedRegsSize: 4, flags: 0, ...extra });

  test('innermost block wins; same start: the first in stream order; FRAMEDATA over FPO', () => {
    const idx = new X86FrameIndex(
      fake(
        [fd(0x1000, 0x100, { frameFunc: 10 }), fd(0x1010, 0x10, { paramsSize: 12 }), fd(0x1010, 0x10, { paramsSize: 99 }), fd(0x3000, 4, { flags: 1, frameFunc: 20 })],
        [{ start: 0x2000, size: 0x20, locals: 2, params: 3, prolog: 5, savedRegs: 2, hasSeh: false, useBp: true, frameType: 3 }, { start: 0x1000, size: 0x10, locals: 0, params: 0, prolog: 0, savedRegs: 0, hasSeh: false, useBp: false, frameType: 0 }],
        { 10: '$T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + =', 20: '$T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + =' },
      ),
    );
    expect(idx.at(0x1005)).toMatchObject({ kind: 'framedata', rvaStart: 0x1000, program: '$T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + =', allocatesBasePointer: false });
    expect(idx.at(0x1015)).toMatchObject({ rvaStart: 0x1010, paramsSize: 12 });
    expect(idx.at(0x1020)).toMatchObject({ rvaStart: 0x1000 }); // past the inner block, inside the outer
    expect(idx.at(0x2004)).toEqual({ kind: 'fpo', rvaStart: 0x2000, codeSize: 0x20, prologSize: 5, savedRegsSize: 8, localsSize: 8, paramsSize: 12, allocatesBasePointer: true, hasSeh: false, fpoFrameType: 3 });
    expect(idx.at(0x3000)).toMatchObject({ hasSeh: true, allocatesBasePointer: true });
    expect(idx.at(0x3004)).toBeUndefined();
    expect(idx.at(0xfff)).toBeUndefined();
  });

  test('assignsEbp reads statement targets', () => {
    expect(assignsEbp('$T0 $ebp = $eip $T0 4 + ^ =')).toBe(false);
    expect(assignsEbp('$T0 $ebp = $ebp $T0 ^ =')).toBe(true);
    expect(assignsEbp('')).toBe(false);
  });
});
