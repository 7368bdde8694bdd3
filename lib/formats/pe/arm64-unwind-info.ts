/**
 * The ARM64 .xdata record (Microsoft "ARM64 exception handling", "Unpacked unwind data"): a
 * header word (FunctionLength:18 in 4-byte units, Vers:2, X:1, E:1, EpilogCount:5, CodeWords:5),
 * an extension word when EpilogCount and CodeWords are both 0 (ExtendedEpilogCount:16,
 * ExtendedCodeWords:8), EpilogCount epilog scope words unless E (EpilogStartOffset:18 in 4-byte
 * units, Res:4, EpilogStartIndex:10), CodeWords words of unwind code bytes, then the handler's
 * RVA when X. With E set there is one epilog, at the end of the function, whose codes start at
 * byte EpilogCount of the code bytes (0: it shares the prolog's). The prolog's codes start at
 * byte 0. In an epilog, `end` stands for the `ret`.
 */
import { Cursor } from '../binary/cursor';
import { Arm64UnwindOp, readArm64UnwindCodes } from './arm64-unwind-code';

export interface Arm64EpilogScope {
  /** Offset of the epilog's first instruction from the function's start, in bytes. */
  readonly start: number;
  /** Byte index of its first unwind code. */
  readonly codeIndex: number;
}

export interface Arm64UnwindInfo {
  /** In bytes. */
  readonly functionLength: number;
  readonly version: number;
  readonly hasHandler: boolean;
  /** E: a single epilog at the end of the function, its codes at `singleEpilogCodeIndex`. */
  readonly singleEpilogCodeIndex?: number;
  readonly epilogs: readonly Arm64EpilogScope[];
  /** The unwind code bytes. */
  readonly codes: Uint8Array;
  readonly handler?: number;
  /** Bytes the record takes (header to handler). */
  readonly size: number;
  readonly origin: string;
  /** Absolute offset of the code bytes in the origin (for error messages). */
  readonly codesOffset: number;
}

/** Header words and the size of the whole record from its first 8 bytes (two words). */
export function arm64UnwindInfoSize(c: Cursor): number {
  const h = c.u32();
  let epilogs = (h >>> 22) & 0x1f;
  let words = (h >>> 27) & 0x1f;
  let n = 4;
  if (epilogs === 0 && words === 0) {
    const x = c.u32();
    epilogs = x & 0xffff;
    words = (x >>> 16) & 0xff;
    n += 4;
  }
  const e = (h >>> 21) & 1;
  const x = (h >>> 20) & 1;
  return n + (e ? 0 : epilogs * 4) + words * 4 + (x ? 4 : 0);
}

export function readArm64UnwindInfo(c: Cursor): Arm64UnwindInfo {
  const at = c.pos;
  const h = c.u32();
  const functionLength = (h & 0x3ffff) * 4;
  const version = (h >>> 18) & 3;
  if (version !== 0) c.fail(`ARM64 .xdata version ${version} (want 0)`, at);
  const hasHandler = ((h >>> 20) & 1) === 1;
  const single = ((h >>> 21) & 1) === 1;
  let epilogCount = (h >>> 22) & 0x1f;
  let codeWords = (h >>> 27) & 0x1f;
  if (epilogCount === 0 && codeWords === 0) {
    const x = c.u32();
    epilogCount = x & 0xffff;
    codeWords = (x >>> 16) & 0xff;
  }
  const epilogs: Arm64EpilogScope[] = [];
  if (!single) {
    c.count(epilogCount, 4, 'ARM64 epilog scope');
    for (let i = 0; i < epilogCount; i++) {
      const w = c.u32();
      epilogs.push({ start: (w & 0x3ffff) * 4, codeIndex: w >>> 22 });
    }
  }
  const codesOffset = c.offset;
  const codes = c.bytes(codeWords * 4, 'ARM64 unwind codes');
  for (const e of epilogs) {
    if (e.codeIndex >= codes.length) c.fail(`ARM64 epilog scope's code index ${e.codeIndex} past the ${codes.length} code bytes`, codesOffset);
  }
  if (single && epilogCount >= Math.max(1, codes.length)) c.fail(`ARM64 single epilog's code index ${epilogCount} past the ${codes.length} code bytes`, codesOffset);
  const handler = hasHandler ? c.u32() : undefined;
  return {
    functionLength,
    version,
    hasHandler,
    singleEpilogCodeIndex: single ? epilogCount : undefined,
    epilogs,
    codes,
    handler,
    size: c.pos - at,
    origin: c.origin,
    codesOffset,
  };
}

/** The unwind operations starting at code byte `index`, up to their `end`. */
export function arm64OpsAt(info: Arm64UnwindInfo, index: number): Arm64UnwindOp[] {
  const c = new Cursor(info.codes, info.origin, index, info.codes.length, info.codesOffset);
  return readArm64UnwindCodes(c);
}
