/**
 * dumpSymsFromImage: a .sym file from an image alone (no PDB), as Breakpad's dump_syms writes
 * one for a PE file (pe_source_line_writer.cc + pe_util.cc):
 *
 *   MODULE windows <x86_64|x86|arm64> <RSDS GUID + age> <PDB base name>   (from the CodeView record)
 *   INFO CODE_ID <TimeDateStamp %08X + SizeOfImage %X> <image base name>
 *   STACK CFI INIT / STACK CFI ...         x64 only: stack-cfi.ts over the exception directory
 *
 * No FILE, FUNC or PUBLIC records (dump_syms writes none for an image). An image without an RSDS
 * CodeView record has no debug identifier: UNSUPPORTED, as dump_syms refuses it.
 */
import * as path from 'path';
import type { Writable } from 'stream';
import { DbgHelpError } from '../api/errors';
import { PeImage } from '../formats/pe/pe-image';
import { breakpadCodeId, breakpadDebugId } from './ids';
import { RecordWriter } from './record-writer';
import { stackCfiRecords } from './stack-cfi';

const ARCH: Record<number, string> = { 0x14c: 'x86', 0x8664: 'x86_64', 0xaa64: 'arm64', 0x1c4: 'arm' };

export interface DumpImageResult {
  module: { os: 'windows'; arch: string; id: string; name: string };
  codeId: string;
  stack: number;
}

export async function dumpSymsFromImage(opts: { image: string | PeImage; out: Writable }): Promise<DumpImageResult> {
  const image = typeof opts.image === 'string' ? PeImage.open(opts.image) : opts.image;
  try {
    const cv = image.codeView();
    if (!cv || cv.signature !== 'RSDS') throw new DbgHelpError('UNSUPPORTED', `${image.fileName}: no RSDS CodeView record, so no debug identifier for a .sym file`);
    const arch = ARCH[image.machine] ?? 'unknown';
    const id = breakpadDebugId(cv.guid, cv.age);
    const name = path.basename(cv.pdbPath.replace(/\\/g, '/'));
    const codeId = breakpadCodeId(image.timeDateStamp, image.sizeOfImage);
    const w = new RecordWriter(opts.out);
    await w.line(`MODULE windows ${arch} ${id} ${name}`);
    await w.line(`INFO CODE_ID ${codeId} ${path.basename(image.fileName.replace(/\\/g, '/'))}`);
    let stack = 0;
    for (const l of stackCfiRecords(image)) {
      await w.line(l);
      stack++;
    }
    await w.end();
    return { module: { os: 'windows', arch, id, name }, codeId, stack };
  } finally {
    if (typeof opts.image === 'string') image.close();
  }
}
