/**
 * Return-address checks and stack scanning, the last resort of every architecture. A word on
 * the stack is taken for a return address only when it lies in a module and the bytes before
 * it are a call instruction:
 *   x86/amd64: E8 rel32; FF /2 (call r/m): FF D0+r, FF 10+r, FF 14 sib, FF 15 disp32 (RIP-relative
 *     on amd64), FF 50+r disp8, FF 54 sib disp8, FF 90+r disp32, FF 94 sib disp32 (a REX or
 *     segment prefix before them changes nothing);
 *   arm64: BL, BLR, BLRAA/BLRAAZ/BLRAB/BLRABZ in the word before.
 * When neither the module's image nor process memory holds those bytes (a dump without module
 * code and no image file found), being inside a module is all that can be checked: the
 * candidate is accepted on that alone, as breakpad and rust-minidump do without code.
 */
import { readCode, readU32, readU64 } from './memory';
import { MemoryReader, WalkArch, WalkModule } from './types';

export interface ScanContext {
  arch: WalkArch;
  memory: MemoryReader;
  moduleAt(address: bigint): WalkModule | undefined;
}

export function wordSize(arch: WalkArch): number {
  return arch === 'x86' ? 4 : 8;
}

/** Is `address` just after a call instruction in a module's code? */
export function isReturnAddress(ctx: ScanContext, address: bigint): boolean {
  return returnAddressCheck(ctx, address) !== 'no';
}

/**
 * `verified`: a call instruction precedes it; `unverifiable`: it is in a module whose code is not
 * at hand (neither image nor dump memory); `no`: not a return address.
 */
export function returnAddressCheck(ctx: ScanContext, address: bigint): 'verified' | 'unverifiable' | 'no' {
  const r = checkReturnAddress(ctx, address);
  return r === true ? 'verified' : r === false ? 'no' : 'unverifiable';
}

function checkReturnAddress(ctx: ScanContext, address: bigint): boolean | 'unverifiable' {
  if (address < 8n) return false;
  let module: WalkModule | undefined;
  try {
    module = ctx.moduleAt(address);
  } catch {
    return false;
  }
  if (!module) return false;
  if (ctx.arch === 'arm64') {
    if (address & 3n) return false;
    const b = readCode(module, ctx.memory, address - 4n, 4);
    if (!b) return 'unverifiable'; // no code to check: in a module is all we know
    const w = ((b[0] | (b[1] << 8) | (b[2] << 16)) + b[3] * 0x1000000) >>> 0;
    return (w & 0xfc000000) >>> 0 === 0x94000000 || (w & 0xfffffc1f) >>> 0 === 0xd63f0000 || (w & 0xfefff800) >>> 0 === 0xd63f0800;
  }
  if (address - module.base < 7n) return false;
  const b = readCode(module, ctx.memory, address - 7n, 7);
  if (!b) return 'unverifiable'; // no code to check: in a module is all we know
  // b[6] is the byte just before the return address.
  if (b[2] === 0xe8) return true; // call rel32
  if (b[5] === 0xff) {
    const m = b[6];
    if ((m & 0xf8) === 0xd0) return true; // call reg
    if ((m & 0xf8) === 0x10 && (m & 7) !== 4 && (m & 7) !== 5) return true; // call [reg]
  }
  if (b[4] === 0xff && b[5] === 0x14) return true; // call [sib]
  if (b[4] === 0xff && (b[5] & 0xf8) === 0x50 && (b[5] & 7) !== 4) return true; // call [reg+disp8]
  if (b[3] === 0xff && b[4] === 0x54) return true; // call [sib+disp8]
  if (b[1] === 0xff && (b[2] === 0x15 || ((b[2] & 0xf8) === 0x90 && (b[2] & 7) !== 4))) return true; // call [rip/reg+disp32]
  if (b[0] === 0xff && b[1] === 0x94) return true; // call [sib+disp32]
  return false;
}

export interface ScanHit {
  /** Where the return address was found. */
  slot: bigint;
  returnAddress: bigint;
}

/**
 * The first return address at or above `from`, looking at most `words` words. A candidate whose
 * call instruction was seen wins over earlier ones that could not be checked (modules without
 * code at hand, where stale words are as likely as return addresses); those are taken only when
 * the window holds no checked one.
 */
export function scanForReturnAddress(ctx: ScanContext, from: bigint, words: number): ScanHit | undefined {
  const size = wordSize(ctx.arch);
  const step = BigInt(size);
  let slot = from;
  let unchecked: ScanHit | undefined;
  for (let i = 0; i < words; i++, slot += step) {
    const v = size === 8 ? readU64(ctx.memory, slot) : readU32(ctx.memory, slot);
    if (v === undefined) break;
    const address = typeof v === 'bigint' ? v : BigInt(v);
    const r = returnAddressCheck(ctx, address);
    if (r === 'verified') return { slot, returnAddress: address };
    if (r === 'unverifiable') unchecked ??= { slot, returnAddress: address };
  }
  return unchecked;
}
