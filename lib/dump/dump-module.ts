/**
 * DumpModule: one module of a dump as the stack walker sees it (WalkModule) and as the caller
 * sees its symbols (ModuleStatus, the files found).
 *
 * readRva reads the image file when one was found (sections as mapped: file-backed bytes only;
 * not relocated, so a module loaded away from its preferred base differs from memory in its
 * fixed-up pointers: unwind and exception data, made of RVAs, do not), else, or where the file
 * has no bytes (bss), the dump's memory at base + rva. x86FrameInfo
 * reads the PDB's FPO / FRAMEDATA streams (lib/stackwalk/x86-frame-info.ts) on first use.
 */
import type { ModuleStatus } from '../api/module-status';
import type { MinidumpModule } from '../formats/minidump/module-list';
import type { Rva } from '../formats/binary/address';
import { PdbFile } from '../formats/pdb/pdb-file';
import { PeImage } from '../formats/pe/pe-image';
import type { MemoryReader, WalkModule, X86FrameInfo } from '../stackwalk/types';
import { pdbX86FrameInfo } from '../stackwalk/x86-frame-info';
import type { BreakpadWalkInfo } from '../stackwalk/breakpad-walk-info';

export class DumpModule implements WalkModule {
  /** Why the module has the symbols it has. */
  status: ModuleStatus = { kind: 'symbols-missing', wanted: { name: '' }, searched: [] };
  /** The image file found for it (matching TimeDateStamp and SizeOfImage). */
  imageFile?: string;
  /** The PDB found for it (matching GUID/signature and age). */
  symbolFile?: string;
  /** The Breakpad .sym that answers for it when no PDB was found. */
  breakpadFile?: string;
  /** That .sym's STACK WIN / STACK CFI records, for the walker. */
  breakpad?: BreakpadWalkInfo;
  /** True when the module is loaded in the dump's SymbolHandler (symbols, lines, types at its base). */
  loaded = false;
  /** Why the image file could not be used, when it was found but was malformed. */
  imageError?: string;

  private image: PeImage | null | undefined;
  private frames: ((rva: number) => X86FrameInfo | undefined) | null | undefined;
  private pdb: PdbFile | undefined;

  constructor(
    /** Index in the dump's module list. */
    readonly index: number,
    /** The MINIDUMP_MODULE as read. */
    readonly record: MinidumpModule,
    private readonly memory: MemoryReader,
    private readonly x86: boolean,
  ) {}

  /** The file name of the module's path (`ntdll.dll`). */
  get name(): string {
    return this.record.name.split(/[\\/]/).pop() || this.record.name;
  }
  get base(): bigint {
    return this.record.base;
  }
  get size(): number {
    return this.record.size;
  }

  readRva(rva: number, size: number): Uint8Array | undefined {
    if (!Number.isInteger(rva) || !Number.isInteger(size) || rva < 0 || size < 0 || rva + size > this.size) return undefined;
    const img = this.openImage();
    if (img) {
      try {
        return img.readAtRva(rva as Rva, size, 'walker read').bytes(size);
      } catch {
        // Not file-backed (bss, a section past the file): the dump may have it.
      }
    }
    return this.memory.read(this.base + BigInt(rva), size);
  }

  /** STACK CFI rules from the module's Breakpad .sym, when that is where its symbols came from. */
  get cfiRules(): ((rva: number) => Readonly<Record<string, string>> | undefined) | undefined {
    return this.breakpad?.cfiRules;
  }

  /**
   * Present on x86 modules; answers from the PDB's FPO or FRAMEDATA records, or from a Breakpad
   * .sym's STACK WIN records when the symbols came from one.
   */
  get x86FrameInfo(): ((rva: number) => X86FrameInfo | undefined) | undefined {
    if (!this.x86) return undefined;
    if (this.breakpad) return this.breakpad.x86FrameInfo;
    return (rva: number) => {
      const idx = this.frameIndex();
      if (!idx) return undefined;
      try {
        return idx(rva);
      } catch {
        this.frames = null; // a malformed FPO stream: no frame data, as for a module without it
        return undefined;
      }
    };
  }

  private openImage(): PeImage | undefined {
    if (this.image === undefined) {
      try {
        this.image = this.imageFile ? PeImage.open(this.imageFile) : null;
      } catch (e) {
        this.imageError = (e as Error).message;
        this.image = null;
      }
    }
    return this.image ?? undefined;
  }

  private frameIndex(): ((rva: number) => X86FrameInfo | undefined) | undefined {
    if (this.frames === undefined) {
      try {
        this.pdb = this.symbolFile ? PdbFile.open(this.symbolFile) : undefined;
        this.frames = this.pdb ? pdbX86FrameInfo(this.pdb) : null;
      } catch {
        this.frames = null;
      }
    }
    return this.frames ?? undefined;
  }

  close(): void {
    this.image?.close();
    this.pdb?.close();
    this.image = undefined;
    this.pdb = undefined;
    this.frames = undefined;
  }
}
