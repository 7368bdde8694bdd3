/**
 * Symbol-store keys: the directory names symstore and SymSrv file a symbol file under.
 *
 * - PDB 7.0 (RSDS): the GUID as 32 upper-case hex digits without dashes, then the age in hex
 *   with no leading zeros (`%x`): `ntdll.pdb/0F7FCF88442F4B0E9FB51DC4A754D9DE2/ntdll.pdb`.
 * - PDB 2.0 (NB10): the signature as `%08X`, then the age as `%x`.
 * - Images (.exe/.dll/.sys) and .dbg files: the COFF TimeDateStamp as `%08X`, then SizeOfImage
 *   as `%x` (lower case, no leading zeros): `foo.exe/542D574Ec2000/foo.exe`. This is the format
 *   Microsoft's SSQP key conventions spell out ("important if your symbol server is case
 *   sensitive") and the one Breakpad and Chromium write ("the same format that the MS symbol
 *   server uses").
 *
 * Hex letters in an age are rare (age > 9) and in a SizeOfImage common; Windows stores are
 * case-insensitive, so a store written by a tool that upper-cases everything still works there.
 * On a case-sensitive file system `keyVariants` also gives the all-upper-case spelling, which
 * readers try second.
 */

/** A GUID string (dashes and braces optional, any case) as 32 upper-case hex digits, or undefined. */
export function guidHex(guid: string): string | undefined {
  const hex = guid.replace(/[{}-]/g, '');
  return /^[0-9a-fA-F]{32}$/.test(hex) ? hex.toUpperCase() : undefined;
}

/** The store key of a PDB 7.0 file: GUID (upper, no dashes) + age (`%x`). */
export function pdbKey(guid: string, age: number): string {
  const hex = guidHex(guid);
  if (hex === undefined) throw new TypeError(`pdbKey: '${guid}' is not a GUID`);
  return hex + u32(age, 'age').toString(16);
}

/** The store key of a PDB 2.0 (NB10) file: signature (`%08X`) + age (`%x`). */
export function nb10Key(signature: number, age: number): string {
  return hex8(signature) + u32(age, 'age').toString(16);
}

/** The store key of an image or .dbg file: TimeDateStamp (`%08X`) + SizeOfImage (`%x`). */
export function imageKey(timeDateStamp: number, sizeOfImage: number): string {
  return hex8(timeDateStamp) + u32(sizeOfImage, 'SizeOfImage').toString(16);
}

/** The spellings of a key a reader tries, in order: as given, then all upper case if different. */
export function keyVariants(key: string): string[] {
  const upper = key.toUpperCase();
  return upper === key ? [key] : [key, upper];
}

/** `%08X` */
export function hex8(n: number): string {
  return u32(n, 'value').toString(16).toUpperCase().padStart(8, '0');
}

function u32(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new TypeError(`${what} ${n} is not a 32-bit unsigned integer`);
  return n;
}
