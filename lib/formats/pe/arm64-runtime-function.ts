/**
 * IMAGE_ARM64_RUNTIME_FUNCTION_ENTRY (winnt.h), 8 bytes: BeginAddress (RVA) and UnwindData. The
 * low 2 bits of UnwindData (Flag) say what the rest is:
 *   0  the RVA of an .xdata record (arm64-unwind-info.ts);
 *   1  packed unwind data for a whole function;
 *   2  packed unwind data for a fragment without a prolog;
 *   3  reserved.
 * Packed layout (low bit first): Flag:2, FunctionLength:11 (in 4-byte units), RegF:3, RegI:4,
 * H:1, CR:2, FrameSize:9 (in 16-byte units). Entries are sorted by BeginAddress.
 */
import { Cursor } from '../binary/cursor';
import { lastWhere } from '../binary/search';

export const ARM64_RUNTIME_FUNCTION_SIZE = 8;

export interface Arm64RuntimeFunction {
  readonly begin: number;
  /** UnwindData & 3. */
  readonly flag: number;
  /** Flag 0: the RVA of the .xdata record. */
  readonly xdata?: number;
  /** Flags 1 and 2: the decoded packed data. */
  readonly packed?: Arm64PackedUnwind;
}

export interface Arm64PackedUnwind {
  /** In bytes. */
  readonly functionLength: number;
  /** Saved d8.. registers: RegF + 1 of them when RegF > 0, none when 0. */
  readonly regF: number;
  /** Saved x19.. registers (0..10). */
  readonly regI: number;
  /** Homed parameters x0..x7 (H). */
  readonly homesParameters: boolean;
  /** 0 lr not saved; 1 lr saved with the integer registers; 2 PAC-signed lr with fp; 3 fp/lr chained. */
  readonly cr: number;
  /** In bytes. */
  readonly frameSize: number;
  /** Flag 2: a fragment with no prolog of its own. */
  readonly fragment: boolean;
}

export function decodePackedUnwind(data: number): Arm64PackedUnwind {
  return {
    fragment: (data & 3) === 2,
    functionLength: ((data >>> 2) & 0x7ff) * 4,
    regF: (data >>> 13) & 7,
    regI: (data >>> 16) & 0xf,
    homesParameters: ((data >>> 20) & 1) === 1,
    cr: (data >>> 21) & 3,
    frameSize: ((data >>> 23) & 0x1ff) * 16,
  };
}

export function readArm64RuntimeFunction(c: Cursor): Arm64RuntimeFunction {
  c.need(ARM64_RUNTIME_FUNCTION_SIZE, 'IMAGE_ARM64_RUNTIME_FUNCTION_ENTRY');
  const at = c.pos;
  const begin = c.u32();
  const data = c.u32();
  const flag = data & 3;
  if (flag === 3) c.fail('IMAGE_ARM64_RUNTIME_FUNCTION_ENTRY Flag 3 (reserved)', at + 4);
  if (flag === 0) return { begin, flag, xdata: data };
  return { begin, flag, packed: decodePackedUnwind(data) };
}

/** The ARM64 exception directory, decoded on demand. */
export class Arm64RuntimeFunctionTable {
  readonly count: number;
  private readonly c: Cursor;

  constructor(bytes: Uint8Array, origin: string, base = 0) {
    this.c = Cursor.of(bytes, origin, base);
    this.count = Math.floor(bytes.length / ARM64_RUNTIME_FUNCTION_SIZE);
  }

  at(i: number): Arm64RuntimeFunction {
    this.c.seek(i * ARM64_RUNTIME_FUNCTION_SIZE);
    return readArm64RuntimeFunction(this.c);
  }

  /**
   * The entry with the greatest BeginAddress at or below `rva` (its length, for unpacked
   * entries, is in the .xdata record: the caller checks it), or undefined.
   */
  candidate(rva: number): Arm64RuntimeFunction | undefined {
    const best = lastWhere(this.count, (i) => {
      this.c.seek(i * ARM64_RUNTIME_FUNCTION_SIZE);
      return this.c.u32() <= rva;
    });
    return best < 0 ? undefined : this.at(best);
  }
}
