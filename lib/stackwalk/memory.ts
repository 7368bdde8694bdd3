/**
 * Reads the walker makes: little-endian words from process memory, and code bytes (from the
 * module's image when one holds the address, else from memory). Every read is checked against
 * the reader's answer; nothing here throws.
 */
import { MemoryReader, WalkModule } from './types';

export const MASK64 = 0xffffffffffffffffn;

export function readU64(memory: MemoryReader, address: bigint): bigint | undefined {
  if (address < 0n || address > MASK64 - 7n) return undefined;
  const b = safeRead(memory, address, 8);
  if (!b) return undefined;
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}

export function readU32(memory: MemoryReader, address: bigint): number | undefined {
  if (address < 0n || address > MASK64 - 3n) return undefined;
  const b = safeRead(memory, address, 4);
  if (!b) return undefined;
  return (b[0] | (b[1] << 8) | (b[2] << 16)) + b[3] * 0x1000000;
}

/** A reader's answer, checked: the right length or undefined; a throwing reader counts as unreadable. */
export function safeRead(memory: MemoryReader, address: bigint, size: number): Uint8Array | undefined {
  try {
    const b = memory.read(address, size);
    return b && b.length >= size ? b : undefined;
  } catch {
    return undefined;
  }
}

export function safeReadRva(module: WalkModule, rva: number, size: number): Uint8Array | undefined {
  if (!Number.isInteger(rva) || rva < 0 || size < 0 || rva + size > 0x100000000) return undefined;
  try {
    const b = module.readRva(rva, size);
    return b && b.length >= size ? b : undefined;
  } catch {
    return undefined;
  }
}

/** Code bytes at `address`: the module image first (it is what ran), then process memory. */
export function readCode(module: WalkModule | undefined, memory: MemoryReader, address: bigint, size: number): Uint8Array | undefined {
  if (module && address >= module.base) {
    const rva = address - module.base;
    if (rva + BigInt(size) <= BigInt(module.size)) {
      const b = safeReadRva(module, Number(rva), size);
      if (b) return b;
    }
  }
  return safeRead(memory, address, size);
}
