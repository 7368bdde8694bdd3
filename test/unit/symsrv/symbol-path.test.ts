/**
 * The search path string: parsing its elements, the default path from the environment, and the
 * store keys (Microsoft's SSQP key conventions and the Symbol Paths page's example key).
 */
import { SymOpt } from '../../../lib';
import { effectiveSearchPath, MICROSOFT_SYMBOL_SERVER, parseSymbolPath } from '../../../lib/symsrv/symbol-path';
import { imageKey, keyVariants, nb10Key, pdbKey } from '../../../lib/symsrv/keys';
import { baseName, dirName, extensionOf, hostPath, isForeignWindowsPath, joinHost } from '../../../lib/symsrv/paths';
import { compressedName, parseFilePtr, storePaths } from '../../../lib/symsrv/store';

const posix = process.platform !== 'win32';

describe('parseSymbolPath', () => {
  test('standard directories, cache*, srv* chains and symsrv*symsrv.dll*, in order; empty elements dropped', () => {
    const els = parseSymbolPath(' /a ;; cache*/c ; srv*/d1*/d2*https://sym.example/x/ ;SYMSRV*SymSrv.dll*/e*/f;');
    expect(els).toEqual([
      { kind: 'dir', path: '/a', text: '/a' },
      { kind: 'cache', store: { kind: 'dir', path: '/c' }, text: 'cache*/c' },
      {
        kind: 'chain',
        stores: [
          { kind: 'dir', path: '/d1' },
          { kind: 'dir', path: '/d2' },
          { kind: 'url', url: 'https://sym.example/x' },
        ],
        text: 'srv*/d1*/d2*https://sym.example/x/',
      },
      {
        kind: 'chain',
        stores: [
          { kind: 'dir', path: '/e' },
          { kind: 'dir', path: '/f' },
        ],
        text: 'SYMSRV*SymSrv.dll*/e*/f',
      },
    ]);
  });

  test('an empty entry is the default downstream store; cache* alone is the default cache', () => {
    expect(parseSymbolPath('srv**/up')[0]).toMatchObject({ stores: [{ kind: 'default' }, { kind: 'dir', path: '/up' }] });
    expect(parseSymbolPath('cache*')[0]).toMatchObject({ kind: 'cache', store: { kind: 'default' } });
  });

  test('an HTTP store always gets a downstream store (the default one when none is named); srv* alone is the Microsoft server', () => {
    expect(parseSymbolPath('srv*https://h/s')[0]).toMatchObject({ stores: [{ kind: 'default' }, { kind: 'url', url: 'https://h/s' }] });
    expect(parseSymbolPath('https://h/s')[0]).toMatchObject({ kind: 'chain', stores: [{ kind: 'default' }, { kind: 'url', url: 'https://h/s' }] });
    expect(parseSymbolPath('srv*')[0]).toMatchObject({ stores: [{ kind: 'default' }, { kind: 'url', url: MICROSOFT_SYMBOL_SERVER }] });
    // A local store alone is used in place: no downstream store is added.
    expect(parseSymbolPath('srv*/s')[0]).toMatchObject({ stores: [{ kind: 'dir', path: '/s' }] });
  });

  test('up to 10 stores in one srv* element; another symbol server DLL is not supported', () => {
    const ten = 'srv*' + Array.from({ length: 10 }, (_, i) => `/s${i}`).join('*');
    expect(parseSymbolPath(ten)[0]).toMatchObject({ kind: 'chain' });
    expect(parseSymbolPath(ten + '*/s10')[0]).toMatchObject({ kind: 'unsupported', reason: expect.stringMatching(/at most 10/) });
    expect(parseSymbolPath('symsrv*other.dll*/s')[0]).toMatchObject({ kind: 'unsupported', reason: expect.stringMatching(/other\.dll/) });
  });

  (posix ? test : test.skip)('on POSIX a backslash in an element is a separator', () => {
    expect(parseSymbolPath('.\\syms;cache*C:\\cache')).toEqual([
      { kind: 'dir', path: './syms', text: '.\\syms' },
      { kind: 'cache', store: { kind: 'dir', path: 'C:/cache' }, text: 'cache*C:\\cache' },
    ]);
  });
});

describe('effectiveSearchPath (SymInitialize / SymSetSearchPath)', () => {
  const env = { _NT_SYMBOL_PATH: 'srv*/main', _NT_ALT_SYMBOL_PATH: '/alt', _NT_ALTERNATE_SYMBOL_PATH: '/alternate' };

  test('a user path is used as given: the environment is not read', () => {
    expect(effectiveSearchPath('/mine', 0, env)).toBe('/mine');
    expect(effectiveSearchPath('', 0, env)).toBe('');
  });

  test('null: ".", then _NT_SYMBOL_PATH, then _NT_ALT_SYMBOL_PATH, then the _NT_ALTERNATE_SYMBOL_PATH spelling', () => {
    expect(effectiveSearchPath(null, 0, env)).toBe('.;srv*/main;/alt;/alternate');
    expect(effectiveSearchPath(null, 0, { _NT_ALTERNATE_SYMBOL_PATH: '/alternate' })).toBe('.;/alternate');
    expect(effectiveSearchPath(null, 0, { _NT_ALT_SYMBOL_PATH: '/same', _NT_ALTERNATE_SYMBOL_PATH: '/same' })).toBe('.;/same');
    expect(effectiveSearchPath(null, 0, {})).toBe('.');
  });

  test('SYMOPT_IGNORE_NT_SYMPATH leaves the variables out', () => {
    expect(effectiveSearchPath(null, SymOpt.IGNORE_NT_SYMPATH, env)).toBe('.');
  });
});

describe('store keys', () => {
  test('the Symbol Paths page example key: GUID upper-case without dashes, then the age', () => {
    expect(pdbKey('0f7fcf88-442f-4b0e-9fb5-1dc4a754d9de', 2)).toBe('0F7FCF88442F4B0E9FB51DC4A754D9DE2');
    expect(pdbKey('{0F7FCF88-442F-4B0E-9FB5-1DC4A754D9DE}', 2)).toBe('0F7FCF88442F4B0E9FB51DC4A754D9DE2');
  });

  test('the age is %x: no leading zeros, lower-case letters (as Breakpad writes "the same format the MS symbol server uses")', () => {
    expect(pdbKey('3249D99D-0C40-4931-8610-F4E4FB0B6936', 0xffffffff)).toBe('3249D99D0C4049318610F4E4FB0B6936ffffffff');
    expect(pdbKey('3249D99D-0C40-4931-8610-F4E4FB0B6936', 0x1b)).toBe('3249D99D0C4049318610F4E4FB0B69361b');
  });

  test("an image key is %08X%x (Microsoft's SSQP example: timestamp 0x542d574e, SizeOfImage 0xc2000)", () => {
    expect(imageKey(0x542d574e, 0xc2000)).toBe('542D574Ec2000');
    expect(imageKey(0x1234, 0x8000)).toBe('000012348000');
    // test/fixtures/expected/basic-x64.readobj.txt: TimeDateStamp 0x982681B8, SizeOfImage 32768
    expect(imageKey(0x982681b8, 32768)).toBe('982681B88000');
  });

  test('NB10 PDBs: signature %08X then age %x', () => {
    expect(nb10Key(0x3a1b2c, 3)).toBe('003A1B2C3');
  });

  test('keyVariants: as written, then upper case (stores written by tools that upper-case everything)', () => {
    expect(keyVariants('5DDC1E9A6c000')).toEqual(['5DDC1E9A6c000', '5DDC1E9A6C000']);
    expect(keyVariants('63E6C7F78000')).toEqual(['63E6C7F78000']);
  });

  test('out-of-range numbers are refused', () => {
    expect(() => imageKey(-1, 0)).toThrow(TypeError);
    expect(() => pdbKey('8C6EB4D7-60FE-3FA6-4C4C-44205044422E', 2 ** 32)).toThrow(TypeError);
  });
});

describe('store paths and file.ptr', () => {
  test('name/key/name, the compressed name ends in _, file.ptr beside', () => {
    expect(compressedName('ntdll.pdb')).toBe('ntdll.pd_');
    expect(storePaths({ fileName: 'ntdll.pdb', key: 'K1' })).toEqual({ file: 'ntdll.pdb/K1/ntdll.pdb', compressed: 'ntdll.pdb/K1/ntdll.pd_', pointer: 'ntdll.pdb/K1/file.ptr' });
  });

  test('file.ptr: PATH: and MSG: lines, first one wins, case-insensitive keyword, BOM and CRLF tolerated', () => {
    expect(parseFilePtr('PATH:\\\\server\\share\\a.pdb\r\n')).toEqual({ kind: 'path', target: '\\\\server\\share\\a.pdb' });
    expect(parseFilePtr('\uFEFFmsg: not published yet')).toEqual({ kind: 'message', message: 'not published yet' });
    expect(parseFilePtr('garbage\nPATH: /x/y.pdb')).toEqual({ kind: 'path', target: '/x/y.pdb' });
    expect(parseFilePtr('PATH:')).toBeUndefined();
    expect(parseFilePtr('')).toBeUndefined();
  });
});

describe('paths on this host', () => {
  test('file names and extensions across both separators', () => {
    expect(baseName('C:\\build\\x.pdb')).toBe('x.pdb');
    expect(baseName('/builds/worker/x.pdb')).toBe('x.pdb');
    expect(baseName('tests/////example-windows.pdb')).toBe('example-windows.pdb');
    expect(baseName('x.pdb')).toBe('x.pdb');
    expect(dirName('/a/b.exe')).toBe('/a');
    expect(dirName('b.exe')).toBe('');
    expect(extensionOf('NTDLL.DLL')).toBe('dll');
    expect(extensionOf('noext')).toBe('');
  });

  (posix ? test : test.skip)('joinHost keeps the element as written (no normalisation), hostPath turns \\ into /', () => {
    expect(joinHost('.', 'dll', 'ntdll.pdb')).toBe('./dll/ntdll.pdb');
    expect(joinHost('/c/', 'x')).toBe('/c/x');
    expect(joinHost('/', 'x')).toBe('/x');
    expect(hostPath('C:\\sym\\x')).toBe('C:/sym/x');
    expect(isForeignWindowsPath('C:\\build\\x.pdb')).toBe(true);
    expect(isForeignWindowsPath('\\\\server\\share\\x.pdb')).toBe(true);
    expect(isForeignWindowsPath('/builds/x.pdb')).toBe(false);
    expect(isForeignWindowsPath('x.pdb')).toBe(false);
  });
});
