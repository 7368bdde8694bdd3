/** What a store may serve: HTML refused by type and by first bytes; magic per kind of file. */
import * as fs from 'fs';
import * as path from 'path';
import { writeCab } from '../../../../lib/formats/cab';
import { checkHeaders, checkMagic, ContentRefused, expectedFor } from '../../../../lib/symsrv/http/content-check';

const BIN = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'bin');
const pdb = fs.readFileSync(path.join(BIN, 'basic-x64.pdb')).subarray(0, 64);
const exe = fs.readFileSync(path.join(BIN, 'basic-x64.exe')).subarray(0, 64);
const cab = writeCab([{ name: 'a.pdb', data: new Uint8Array(10) }]).subarray(0, 64);

function refusal(f: () => void): ContentRefused | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ContentRefused) return e;
    throw e;
  }
  return undefined;
}

describe('content checks', () => {
  test('expected kind by store name', () => {
    expect(expectedFor('ntdll.pdb')).toBe('pdb');
    expect(expectedFor('NTDLL.PDB')).toBe('pdb');
    expect(expectedFor('ntdll.pd_')).toBe('cab');
    expect(expectedFor('ntdll.dl_')).toBe('cab');
    expect(expectedFor('ntdll.dll')).toBe('pe');
    expect(expectedFor('crash.exe')).toBe('pe');
    expect(expectedFor('tcpip.sys')).toBe('pe');
    expect(expectedFor('ntdll.dbg')).toBe('any');
  });

  test('real fixture files pass their own check and fail the others', () => {
    expect(refusal(() => checkMagic(pdb, 'pdb'))).toBeUndefined();
    expect(refusal(() => checkMagic(exe, 'pe'))).toBeUndefined();
    expect(refusal(() => checkMagic(cab, 'cab'))).toBeUndefined();
    expect(refusal(() => checkMagic(exe, 'pdb'))?.reason).toBe('magic');
    expect(refusal(() => checkMagic(pdb, 'pe'))?.message).toBe("not a PE image: no MZ signature ('Microsoft C/C++ ')");
    expect(refusal(() => checkMagic(pdb, 'cab'))?.reason).toBe('magic');
    expect(refusal(() => checkMagic(cab, 'pdb'))?.message).toMatch(/^not a PDB: no MSF signature in the first bytes \('MSCF/);
  });

  test('a PDB cut inside its 32-byte signature is refused', () => {
    expect(refusal(() => checkMagic(pdb.subarray(0, 20), 'pdb'))?.reason).toBe('magic');
    expect(refusal(() => checkMagic(new Uint8Array(0), 'pdb'))?.message).toBe('not a PDB: no MSF signature in the first bytes (empty body)');
  });

  test('the MSF 2.00 signature passes the gate (the loader decides what to do with it)', () => {
    const jg = Buffer.from('Microsoft C/C++ program database 2.00\r\n\x1aJG\0\0', 'latin1');
    expect(refusal(() => checkMagic(jg, 'pdb'))).toBeUndefined();
  });

  test.each([
    ['<html>', 'html'],
    ['  \r\n\t<!DOCTYPE html>', 'html'],
    ['\uFEFF<?xml version="1.0"?><Error>AccessDenied</Error>', 'html'],
  ])('markup %j is refused even where any content is fine', (text, reason) => {
    expect(refusal(() => checkMagic(Buffer.from(text, 'utf8'), 'any'))?.reason).toBe(reason);
    expect(refusal(() => checkMagic(Buffer.from(text, 'utf8'), 'pdb'))?.reason).toBe(reason);
  });

  test('headers: HTML types and unasked-for encodings are refused', () => {
    expect(refusal(() => checkHeaders('text/html; charset=utf-8', undefined))?.reason).toBe('html');
    expect(refusal(() => checkHeaders('TEXT/HTML', undefined))?.reason).toBe('html');
    expect(refusal(() => checkHeaders('application/xhtml+xml', undefined))?.reason).toBe('html');
    expect(refusal(() => checkHeaders('application/octet-stream', 'gzip'))?.reason).toBe('encoding');
    expect(refusal(() => checkHeaders('application/octet-stream', 'identity'))).toBeUndefined();
    expect(refusal(() => checkHeaders(undefined, undefined))).toBeUndefined();
    expect(refusal(() => checkHeaders('application/x-msdownload', undefined))).toBeUndefined();
  });
});
