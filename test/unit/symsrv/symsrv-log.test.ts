/**
 * symsrv.dll's wording for a local store's miss (Microsoft's symsrv.dll 10.0.19041.685, asked
 * under Wine: `- path not found` for a key directory that is not there, `- file not found` for
 * one that is, e.g. a key directory holding only file.ptr).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { uncMissLines } from '../../../lib/symsrv/symsrv-log';

test('a missing key directory: path not found, for the file, its .pd_ and file.ptr', () => {
  const dir = path.join(os.tmpdir(), 'no-such-store-dir-linesem', 'x.pdb', 'KEY');
  expect(uncMissLines(path.join(dir, 'x.pdb'))).toEqual([
    `SYMSRV:  UNC: ${dir}${path.sep}x.pdb - path not found`,
    `SYMSRV:  UNC: ${dir}${path.sep}x.pd_ - path not found`,
    `SYMSRV:  UNC: ${dir}${path.sep}file.ptr - path not found`,
  ]);
});

test('an existing key directory: file not found; a compressed name is listed once', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-unc-'));
  try {
    expect(uncMissLines(path.join(dir, 'x.ex_'))).toEqual([`SYMSRV:  UNC: ${dir}${path.sep}x.ex_ - file not found`, `SYMSRV:  UNC: ${dir}${path.sep}file.ptr - file not found`]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
