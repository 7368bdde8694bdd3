/**
 * STACK CFI records (x64) from an image's exception directory (.pdata, IMAGE_RUNTIME_FUNCTION_ENTRY
 * 12 bytes each) and its UNWIND_INFO (.xdata), as Breakpad's dump_syms writes them for x64 with
 * or without a PDB (pe_util.cc, PrintPEFrameData; the DIA path calls it too):
 *
 *   STACK CFI INIT <begin> <end - begin> .cfa: $rsp .ra: .cfa <rip_offset> - ^
 *   STACK CFI <begin> .cfa: $rsp <stack_size> +
 *
 * one pair per RUNTIME_FUNCTION, in directory order. dump_syms describes the frame after the
 * whole prolog ran (no delta per prolog instruction, no saved-register rules, SET_FPREG
 * ignored): stack_size = 8 (the return address) + 8 per PUSH_NONVOL + each ALLOC's size
 * + PUSH_MACHFRAME's 80 (88 with an error code), over the entry's codes and then its chained
 * parents' (UNW_FLAG_CHAININFO); rip_offset = 8, + 80 per PUSH_MACHFRAME. An entry whose
 * UnwindInfoAddress has bit 0 set (RUNTIME_FUNCTION_INDIRECT) takes the unwind data of the
 * entry it points at. The code array is walked slot by slot as dump_syms walks it: operand
 * slots of ALLOC_LARGE (1 or 2), SAVE_NONVOL/SAVE_XMM128 (1), *_FAR (2) skipped; operations 6
 * and 7 (v1 SAVE_XMM/_FAR, v2 EPILOG) and 11-15 take no operand slot and change nothing.
 * Bounded: at most MAX_CHAIN indirections and chained parents per entry (a cycle is BAD_FORMAT).
 */
import { badFormat } from '../api/errors';
import type { PeImage } from '../formats/pe/pe-image';
import { rva } from '../formats/binary/address';
import { ImageDirectoryEntry } from '../formats/pe/optional-header';
import { readRuntimeFunction, RUNTIME_FUNCTION_SIZE } from '../formats/pe/runtime-function';

export const MAX_CHAIN = 32;

/** What dump_syms computes for one RUNTIME_FUNCTION. */
export interface PeFrameSize {
  begin: number;
  end: number;
  /** Bytes between the caller's RSP and this function's RSP once the prolog ran. */
  stackSize: number;
  /** Where the return address is below the CFA (8, or 88 after a machine frame). */
  ripOffset: number;
}

/** One IMAGE_RUNTIME_FUNCTION_ENTRY of an x64 image's exception directory, in directory order. */
export interface PeRuntimeFunction {
  index: number;
  begin: number;
  end: number;
  /** UnwindInfoAddress as stored (bit 0: RUNTIME_FUNCTION_INDIRECT; see resolveUnwind). */
  unwind: number;
  /** The entry's end in the directory, for error offsets. */
  pos: number;
}

/** The RUNTIME_FUNCTIONs of an x64 image ([] for other images and without a directory). */
export function* peRuntimeFunctions(image: PeImage): Generator<PeRuntimeFunction> {
  if (!image.is64) return;
  const dir = image.dataDirectory(ImageDirectoryEntry.EXCEPTION);
  if (!dir || dir.size === 0) return;
  const n = Math.floor(dir.size / RUNTIME_FUNCTION_SIZE);
  const table = image.readAtRva(dir.rva, n * RUNTIME_FUNCTION_SIZE, 'exception directory');
  for (let i = 0; i < n; i++) {
    table.seek(i * RUNTIME_FUNCTION_SIZE);
    const { begin, end, unwindInfo } = readRuntimeFunction(table);
    yield { index: i, begin, end, unwind: unwindInfo, pos: table.pos };
  }
}

/** The UNWIND_INFO RVA of an entry, following RUNTIME_FUNCTION_INDIRECT (at most MAX_CHAIN hops). */
export function resolveUnwind(image: PeImage, f: PeRuntimeFunction): number {
  let unwind = f.unwind;
  for (let hops = 0; unwind & 1; hops++) {
    if (hops >= MAX_CHAIN) throw badFormat(image.fileName, f.pos, `RUNTIME_FUNCTION ${f.index}: more than ${MAX_CHAIN} indirect entries`);
    unwind = image
      .readAtRvaKept(rva(unwind & ~1), RUNTIME_FUNCTION_SIZE, 'indirect RUNTIME_FUNCTION')
      .skip(8)
      .u32();
  }
  return unwind;
}

/** The frame sizes of every RUNTIME_FUNCTION in `image` (x64 only; [] without a directory). */
export function* peFrameSizes(image: PeImage): Generator<PeFrameSize> {
  for (const f of peRuntimeFunctions(image)) {
    const { index: i, begin, end } = f;
    let unwind = resolveUnwind(image, f);
    let stackSize = 8;
    let ripOffset = 8;
    for (let chain = 0; ; chain++) {
      if (chain > MAX_CHAIN) throw badFormat(image.fileName, f.pos, `RUNTIME_FUNCTION ${i}: more than ${MAX_CHAIN} chained UNWIND_INFO`);
      const head = image.readAtRvaKept(rva(unwind), 4, 'UNWIND_INFO');
      const flags = head.u8() >> 3;
      head.u8();
      const count = head.u8();
      const slots = image.readAtRvaKept(rva(unwind + 4), ((count + 1) & ~1) * 2 + (flags & 4 ? RUNTIME_FUNCTION_SIZE : 0), 'UNWIND_CODE array');
      const slot = (k: number) => {
        const value = slots.seek(k * 2).u16();
        return { op: (value >> 8) & 0xf, info: value >> 12, value };
      };
      for (let k = 0; k < count; k++) {
        const { op, info } = slot(k);
        switch (op) {
          case 0: // PUSH_NONVOL
            stackSize += 8;
            break;
          case 1: // ALLOC_LARGE
            if (info === 0) {
              k++;
              if (k < count) stackSize += slot(k).value * 8;
            } else {
              k += 2;
              if (k < count) stackSize += (slot(k - 1).value | (slot(k).value << 16)) >>> 0;
            }
            break;
          case 2: // ALLOC_SMALL
            stackSize += info * 8 + 8;
            break;
          case 4: // SAVE_NONVOL
          case 8: // SAVE_XMM128
            k++;
            break;
          case 5: // SAVE_NONVOL_FAR
          case 9: // SAVE_XMM128_FAR
            k += 2;
            break;
          case 10: // PUSH_MACHFRAME
            stackSize += info ? 88 : 80;
            ripOffset += 80;
            break;
        }
      }
      if (!(flags & 4)) break;
      slots.seek(((count + 1) & ~1) * 2 + 8);
      unwind = slots.u32();
    }
    yield { begin, end, stackSize: stackSize >>> 0, ripOffset };
  }
}

/** The STACK CFI lines (without newlines) dump_syms writes for an x64 image. */
export function* stackCfiRecords(image: PeImage): Generator<string> {
  for (const f of peFrameSizes(image)) {
    yield `STACK CFI INIT ${hex(f.begin)} ${hex((f.end - f.begin) >>> 0)} .cfa: $rsp .ra: .cfa ${f.ripOffset} - ^`;
    yield `STACK CFI ${hex(f.begin)} .cfa: $rsp ${f.stackSize} +`;
  }
}

function hex(n: number): string {
  return (n >>> 0).toString(16);
}
