/** The committed cabinets in test/fixtures/cab and what cabextract said about them. */
import * as fs from 'fs';
import * as path from 'path';

export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'cab');

export interface FixtureRecord {
  sha256: string;
  size: number;
  /** cabextract -t: file name (with `/`) → MD5 of its output. */
  cabextract: Record<string, string>;
}

export const expectedFixtures: Record<string, FixtureRecord> = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8'));

export function fixture(name: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
}
