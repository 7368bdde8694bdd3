/**
 * A cold address lookup loads none of the modules the library requires on first use
 * (lib/lazy.ts; bench/README.md "the cold lookup"): each is mocked here by a module that
 * records being loaded, then a module is loaded and an address and its line looked up through
 * the public SymbolHandler.
 */
import * as path from 'path';

const loaded: string[] = [];
const LAZY = [
  'portable/features/lines',
  'portable/features/inlines',
  'portable/features/types',
  'portable/features/symbol-info',
  'portable/features/scope',
  'portable/pdb-by-name',
  'portable/pdb-enumerate',
  'portable/export-provider',
  'formats/pdb/tpi-stream',
  'formats/pdb/gsi',
  'formats/pdb/omap',
  'formats/pdb/fpo',
  'formats/pdb/section-map',
  'formats/pe/export-directory',
  'demangle',
];
for (const m of LAZY) {
  jest.doMock(`../../../lib/${m}`, () => {
    loaded.push(m);
    return {};
  });
}

const BIN = path.join(__dirname, '..', '..', 'fixtures', 'bin');

test('symbolizing an address in a function (symbol and line) requires no lazy module', async () => {
  const { SymbolHandler } = require('../../../lib/handler') as typeof import('../../../lib/handler');
  const sym = SymbolHandler.initialize();
  try {
    const base = await sym.loadModule(path.join(BIN, 'cppfeatures-x64.exe'));
    expect(sym.fromAddr(base + 0x1010n)?.symbol.name).toBe('geometry::Rect::Rect');
    expect(sym.getLineFromAddr(base + 0x1010n)?.lineNumber).toBe(49);
  } finally {
    sym.cleanup();
  }
  expect(loaded).toEqual([]);
  // The mocks do stand for the lazy modules: asking for a type loads the types feature.
  const again = SymbolHandler.initialize();
  try {
    const base = await again.loadModule(path.join(BIN, 'cppfeatures-x64.exe'));
    expect(() => again.getTypeFromName(base, 'geometry::Rect')).toThrow();
  } finally {
    again.cleanup();
  }
  expect(loaded).toContain('portable/features/types');
});
