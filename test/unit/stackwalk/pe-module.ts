/** Test helper: a PE file mapped as the loader would (headers and sections at their RVAs). */
import * as fs from 'fs';
import * as path from 'path';
import { BufferSource } from '../../../lib/formats/binary/source';
import { PeImage } from '../../../lib/formats/pe';
import { WalkModule } from '../../../lib/stackwalk';
import { imageModule } from './fake';

export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');

export interface Mapped {
  pe: PeImage;
  image: Uint8Array;
  module: WalkModule;
}

export function mapImage(file: string, base?: bigint): Mapped {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const pe = PeImage.fromSource(new BufferSource(bytes, path.basename(file)));
  const image = new Uint8Array(pe.sizeOfImage);
  image.set(bytes.subarray(0, Math.min(pe.sizeOfHeaders, bytes.length, image.length)));
  for (const s of pe.sections) {
    const n = Math.min(s.sizeOfRawData, s.virtualSize || s.sizeOfRawData, bytes.length - s.pointerToRawData, image.length - s.virtualAddress);
    if (n > 0) image.set(bytes.subarray(s.pointerToRawData, s.pointerToRawData + n), s.virtualAddress);
  }
  return { pe, image, module: imageModule(image, base ?? pe.imageBase, path.basename(file)) };
}
