/**
 * Distinct address spaces, so they cannot be mixed silently:
 * - `Rva`: offset from the image base in the image as loaded (what the PE and the PDB's
 *   section map/OMAP-to-image produce).
 * - `Va`: a virtual address in the target process (module base + RVA), a bigint (ULONG64).
 * - `SectionOffset`: a 1-based PE section index and an offset inside it (what CodeView records
 *   store); only the section headers of the image (or the PDB's copy) turn it into an RVA.
 * - `PdbRva`: an RVA in the address space the PDB was written for; differs from `Rva` only
 *   when the image was reordered after linking (OMAP).
 */

declare const rvaBrand: unique symbol;
declare const vaBrand: unique symbol;
declare const pdbRvaBrand: unique symbol;

export type Rva = number & { readonly [rvaBrand]: true };
export type Va = bigint & { readonly [vaBrand]: true };
export type PdbRva = number & { readonly [pdbRvaBrand]: true };

export interface SectionOffset {
  readonly section: number; // 1-based
  readonly offset: number;
}

export const rva = (n: number): Rva => n as Rva;
export const va = (n: bigint): Va => n as Va;
export const pdbRva = (n: number): PdbRva => n as PdbRva;
