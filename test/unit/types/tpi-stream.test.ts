/**
 * The TPI/IPI readers (lib/formats/pdb/tpi-stream.ts) against LLVM 19's dump of the same
 * streams (test/fixtures/expected/types/NAME.types.txt: `llvm-pdbutil dump -types -ids
 * -type-extras -id-extras`): every record's leaf, size and stored hash value, every forward
 * reference's definition, and every function id's qualified name.
 */
import * as fs from 'fs';
import * as path from 'path';
import { leafName } from '../../../lib/formats/codeview/type-kinds';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { parseTypeDump } from '../../helpers/type-dump';

const FIX = path.resolve(__dirname, '..', '..', 'fixtures');
const NAMES = ['cppfeatures-x64', 'cppfeatures-x86'];

describe.each(NAMES)('%s', (name) => {
  const dump = parseTypeDump(fs.readFileSync(path.join(FIX, 'expected', 'types', `${name}.types.txt`), 'utf8'));
  let pdb: PdbFile;
  beforeAll(() => {
    pdb = PdbFile.open(path.join(FIX, 'bin', `${name}.pdb`));
  });
  afterAll(() => pdb.close());

  test('TPI: every record has the leaf, size and hash value llvm-pdbutil shows', () => {
    const tpi = pdb.tpi()!;
    expect(tpi.begin).toBe(0x1000);
    expect(tpi.count).toBe(dump.tpi.length);
    expect(dump.tpi.length).toBeGreaterThan(100);
    // Random access first (reverse order: each chunk is learnt from the index-offset buffer),
    // then a scan; both see the same records.
    const seen: string[] = [];
    for (const r of [...dump.tpi].reverse()) {
      const { leaf, data } = tpi.record(r.index);
      seen.push(`${r.index.toString(16)} ${leafName(leaf)} ${data.length + 4}`);
    }
    expect(seen.reverse()).toEqual(dump.tpi.map((r) => `${r.index.toString(16)} ${r.kind} ${r.size}`));
    const scanned: number[] = [];
    tpi.forEach((ti) => scanned.push(ti));
    expect(scanned).toEqual(dump.tpi.map((r) => r.index));
    // Hash values: llvm-pdbutil prints the stored value; bucket() finds each record in its own.
    for (const r of dump.tpi) expect(Array.from(tpi.bucket(r.hash)!)).toContain(r.index);
  });

  test('TPI: forward references resolve to the definition llvm-pdbutil names', () => {
    const tpi = pdb.tpi()!;
    const fwd = dump.tpi.filter((r) => r.forwardTo !== undefined);
    expect(fwd.length).toBeGreaterThan(5);
    for (const r of fwd) expect([r.index, tpi.resolveForwardRef(r.index)]).toEqual([r.index, r.forwardTo]);
    // Definitions and non-UDT records resolve to themselves.
    for (const r of dump.tpi.filter((x) => x.forwardTo === undefined)) expect(tpi.resolveForwardRef(r.index)).toBe(r.index);
  });

  test('IPI: every record has its leaf; function ids give their qualified names', () => {
    const ipi = pdb.ipi()!;
    expect(ipi.count).toBe(dump.ipi.length);
    const strings = new Map(dump.ipi.filter((r) => r.kind === 'LF_STRING_ID').map((r) => [r.index, r.text!]));
    const classNames = new Map(dump.tpi.filter((r) => r.name !== undefined).map((r) => [r.index, r.name!]));
    let funcs = 0;
    for (const r of dump.ipi) {
      expect([r.index, leafName(ipi.leafOf(r.index))]).toEqual([r.index, r.kind]);
      if (r.kind === 'LF_FUNC_ID') {
        funcs++;
        const want = r.scope ? `${strings.get(r.scope)}::${r.funcName}` : r.funcName;
        expect(ipi.functionIdName(r.index)).toBe(want);
        expect(ipi.functionType(r.index)).toBe(r.type);
      } else if (r.kind === 'LF_MFUNC_ID') {
        funcs++;
        expect(ipi.functionIdName(r.index)).toBe(`${classNames.get(r.classType!)}::${r.funcName}`);
        expect(ipi.functionType(r.index)).toBe(r.type);
      } else if (r.kind === 'LF_STRING_ID') {
        expect(ipi.stringId(r.index)).toBe(r.text);
      }
    }
    expect(funcs).toBeGreaterThan(20);
    // A string id is not a function id: the file would be malformed, not the lookup a miss.
    const str = dump.ipi.find((r) => r.kind === 'LF_STRING_ID')!;
    expect(() => ipi.functionIdName(str.index)).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
    expect(() => ipi.functionIdName(0x1000 + dump.ipi.length)).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
  });
});
