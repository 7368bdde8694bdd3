/** What the type-stream tests share: a fixture PDB read into memory, its TPI cut into small chunks, and every id's name. */
import * as fs from 'fs';
import * as path from 'path';
import { DbgHelpError } from '../../../lib/api/errors';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { BufferSource } from '../../../lib/formats/binary/source';
import { PdbFile, STREAM_TPI } from '../../../lib/formats/pdb/pdb-file';
import { TpiStream, type IpiStream } from '../../../lib/formats/pdb/tpi-stream';

const BIN = path.join(__dirname, '..', '..', 'fixtures', 'bin');

/** test/fixtures/bin/`file` as a PdbFile over its bytes in memory. */
export const open = (file: string): PdbFile => new PdbFile(new BufferSource(fs.readFileSync(path.join(BIN, file)), file));

/** functionIdName of every IPI index in order, or the DbgHelpError code where it fails. */
export function functionIdNames(ipi: IpiStream): string[] {
  const out: string[] = [];
  for (let id = ipi.begin; id < ipi.end; id++) {
    try {
      out.push(ipi.functionIdName(id));
    } catch (e) {
      out.push(e instanceof DbgHelpError ? e.code : String(e));
    }
  }
  return out;
}

/**
 * A fixture's TPI and hash stream again, with an index-offset entry every `every` records
 * (appended to the hash stream; the TPI header's indexOffsets points at it): the fixtures'
 * records fit in one ~8 KB chunk, so this makes a lookup read a few records' chunk. `starts`:
 * each record's offset in the records.
 */
export function rechunked(file: string, every: number): { stream: Uint8Array; hash: Uint8Array; starts: number[] } {
  const pdb = open(file);
  const stream = new Uint8Array(pdb.msf.readStream(STREAM_TPI));
  const tpi = new TpiStream(Cursor.of(stream, 'TPI'), () => undefined);
  const hash0 = pdb.msf.readStream(tpi.header.hashStreamIndex);
  const pairs: number[] = [];
  const starts: number[] = [];
  let at = 0;
  const dv = new DataView(stream.buffer, stream.byteOffset);
  for (let ti = tpi.begin; ti < tpi.end; ti++) {
    if ((ti - tpi.begin) % every === 0) pairs.push(ti, at);
    starts.push(at);
    at += 2 + dv.getUint16(tpi.header.headerSize + at, true);
  }
  const hash = new Uint8Array(hash0.length + pairs.length * 4);
  hash.set(hash0);
  const hv = new DataView(hash.buffer);
  pairs.forEach((v, i) => hv.setUint32(hash0.length + i * 4, v, true));
  dv.setUint32(40, hash0.length, true);
  dv.setUint32(44, pairs.length * 4, true);
  return { stream, hash, starts };
}
