/**
 * A WalkModule over an image file (PeImage) loaded at `base`: `readRva` maps RVAs through the
 * section table (headers below SizeOfHeaders); bytes the file does not hold (.bss, past the
 * file) read as unavailable. For dump handlers that found the module's image on disk or in a
 * symbol store; a module captured in dump memory instead reads `memory.read(base + rva, size)`.
 */
import { DbgHelpError } from '../api/errors';
import { rva as toRva } from '../formats/binary/address';
import { PeImage } from '../formats/pe/pe-image';
import { WalkModule, X86FrameInfo } from './types';

export function imageWalkModule(image: PeImage, base: bigint, opts: { name?: string; x86FrameInfo?: (rva: number) => X86FrameInfo | undefined } = {}): WalkModule {
  return {
    name: opts.name ?? image.fileName,
    base,
    size: image.sizeOfImage,
    readRva(rva: number, size: number): Uint8Array | undefined {
      if (!Number.isInteger(rva) || rva < 0 || size < 0 || rva + size > image.sizeOfImage) return undefined;
      if (size === 0) return new Uint8Array(0);
      try {
        const b = image.readAtRva(toRva(rva), size, 'walker read').bytes(size);
        return new Uint8Array(b.buffer, b.byteOffset, b.length); // a plain view, not a Buffer
      } catch (e) {
        if (e instanceof DbgHelpError) return undefined;
        throw e;
      }
    },
    ...(opts.x86FrameInfo ? { x86FrameInfo: opts.x86FrameInfo } : {}),
  };
}
