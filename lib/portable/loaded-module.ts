/**
 * A module loaded into a portable handler: its place in the address space, what identifies
 * it, and where its symbols come from.
 */
import type { ModuleInfo } from '../api/types';
import type { SymbolProvider } from './provider';
import type { ModuleStatus } from '../api/module-status';

export class LoadedModule {
  /** Why the module has the symbols it has (set by openModule). */
  status: ModuleStatus | undefined;
  /** One past the last byte (an empty module still holds its base). */
  readonly end: bigint;

  constructor(
    readonly base: bigint,
    readonly size: number,
    readonly name: string,
    readonly provider: SymbolProvider,
    readonly info: ModuleInfo,
  ) {
    this.end = base + BigInt(Math.max(size, 1));
  }

  contains(address: bigint): boolean {
    return address >= this.base && address < this.end;
  }

  overlaps(base: bigint, size: number): boolean {
    return base < this.end && this.base < base + BigInt(Math.max(size, 1));
  }

  close(): void {
    this.provider.close();
  }
}
