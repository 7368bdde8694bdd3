/**
 * Malformed .sym input: each bad line is BAD_FORMAT naming its line number; truncated and
 * corrupted copies of a real file never throw anything but DbgHelpError.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DbgHelpError } from '../../../lib/api/errors';
import { parseBreakpadSymbols, readBreakpadSymbols } from '../../../lib/formats/breakpad';
import { corpusPath, describeCorpus } from '../../helpers/corpus';
import { corruptions, truncations } from '../../helpers/mutate';

const HEAD = 'MODULE windows x86 0123456789ABCDEF0123456789ABCDEF1 x.pdb\nFILE 1 a.c\nFUNC 1000 10 0 f\n';

function failure(text: string): DbgHelpError {
  try {
    parseBreakpadSymbols(text, 'bad.sym');
  } catch (e) {
    expect(e).toBeInstanceOf(DbgHelpError);
    return e as DbgHelpError;
  }
  throw new Error('parsed without error');
}

describe('breakpad .sym reader: malformed lines', () => {
  test.each([
    ['1000 1g 5 1', 'line 4: line size is not a hex number'],
    ['1000 10 x 1', 'line 4: line number is not a decimal number'],
    ['1000 10 5', 'line 4: missing line file id'],
    ['1000 10 5 1 extra', 'line 4: unexpected text after line record'],
    ['FUNC 1000', 'line 4: missing FUNC size'],
    ['FUNC 12345678901234567890 1 0 f', 'line 4: FUNC address is too large'],
    ['PUBLIC zz 0 p', 'line 4: PUBLIC address is not a hex number'],
    ['STACK WIN 5 1000 1 0 0 0 0 0 0 0 0', 'line 4: STACK WIN type 5 is not 0-4'],
    ['STACK WIN 4 1000 1 0 0 0 0 0 0 1', 'line 4: STACK WIN without its program string'],
    ['STACK WIN 4 1000 1 0 0 0 0 0 0 0 2', 'line 4: STACK WIN allocates_base_pointer is not 0 or 1'],
    ['STACK CFI 1000 .cfa: $esp 4 +', 'line 4: STACK CFI before any STACK CFI INIT'],
    ['STACK CFI INIT 1000 10', 'line 4: STACK CFI INIT without rules'],
    ['STACK FOO', 'line 4: STACK record is neither WIN nor CFI'],
    ['INLINE 1 5 1 0 1000 4', 'line 4: INLINE depth 1 without an enclosing INLINE of depth 0'],
    ['INLINE 0 5 1', 'line 4: INLINE needs a depth'],
    ['FILE 1 b.c', 'line 4: FILE 1 defined twice'],
    ['MODULE windows x86 00 y.pdb', 'line 4: a second MODULE record'],
    ['BOGUS record', 'line 4: unknown record "BOGUS"'],
  ])('%s', (line, message) => {
    const e = failure(HEAD + line + '\n');
    expect(e.code).toBe('BAD_FORMAT');
    expect(e.message).toContain(message);
    expect(e.message).toContain(`at offset 0x${HEAD.length.toString(16)}`);
    expect(e.offset).toBe(HEAD.length);
  });

  test('a file that does not start with MODULE', () => {
    expect(failure('FILE 1 a.c\n').message).toContain('line 1: the first record is not MODULE');
    expect(failure('').message).toContain('no MODULE record');
    expect(failure('\x7fELF\x02\x01\x01').message).toContain('line 1: the first record is not MODULE');
  });

  test('line records before any FUNC', () => {
    expect(failure('MODULE windows x86 00 x.pdb\n1000 10 5 1\n').message).toContain('line 2: line record before any FUNC');
  });

  test('an over-long line is refused without reading it all into one string', () => {
    expect(failure(HEAD + 'FUNC 1 1 0 ' + 'x'.repeat(1 << 21)).message).toMatch(/line 4: longer than/);
  });
});

describeCorpus('breakpad .sym reader: truncated and corrupted real files', () => {
  const buf = fs.readFileSync(corpusPath('getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.sym'));

  function survives(b: Uint8Array): void {
    try {
      const s = parseBreakpadSymbols(b, 'mutated.sym');
      for (let a = 0x1000; a < 0x4000; a += 0x35) {
        s.lookup(a);
        s.stackWin(a);
        s.cfi(a);
      }
    } catch (e) {
      if (!(e instanceof DbgHelpError)) throw e;
      expect(e.code).toBe('BAD_FORMAT');
      expect(e.message).toMatch(/line \d+|no MODULE record/);
    }
  }

  test('truncations', () => {
    for (const t of truncations(buf, 997)) survives(t);
  });

  test('corruptions', () => {
    for (const c of corruptions(buf, 150, 6, 11)) survives(c);
  });

  test('a file corrupted or cut after it was indexed: answers or BAD_FORMAT "changed since it was read"', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-changed-'));
    const file = path.join(dir, 'crash.sym');
    try {
      fs.writeFileSync(file, buf);
      const s = await readBreakpadSymbols(file, { holdBytes: 0 }); // read back from the file
      const mutants = [...corruptions(buf, 12, 6, 5), ...truncations(buf, 4099)];
      let changed = 0;
      for (const m of mutants) {
        s.close(); // the next lookup opens the file again
        fs.writeFileSync(file, m);
        for (let a = 0x1000; a < 0x4000; a += 0x95) {
          try {
            s.lookup(a);
            s.stackWin(a);
            s.cfi(a);
          } catch (e) {
            if (!(e instanceof DbgHelpError)) throw e;
            expect(e.code).toBe('BAD_FORMAT');
            expect(e.message).toMatch(/changed since it was read/);
            changed++;
          }
        }
      }
      expect(changed).toBeGreaterThan(0);
      s.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
