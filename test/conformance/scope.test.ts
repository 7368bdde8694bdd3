/**
 * Conformance: SymSetContext / SymSetScopeFromAddr, then SymEnumSymbols of the scope (no base,
 * no `module!`): the locals and parameters of test/fixtures/src/locals.c (-O0) and
 * locals-opt.c (-O2) on x64, x86 and arm64, once per backend.
 *
 * Expected values are read off expected/locals-<arch>.pdbutil.txt by hand (llvm-pdbutil prints
 * addresses as section:decimal-offset, .text at RVA 0x1000): the S_LOCAL records, their
 * S_DEFRANGE_* ranges and registers, S_FRAMEPROC's frame registers (`local fp reg = RSP`), and
 * the S_BLOCK32 ranges (`addr = 0001:0030` is decimal: RVA 0x101e). Registers are CV_HREG_e numbers (LLVM CodeViewRegisters.def): x86 EAX 17,
 * EDX 19, ESI 23, EBP 22, VFRAME 30006; x64 RBX 329, RCX 330, RSP 335; ARM64 W2 12, W19 29,
 * X0 50, SP 81. Offsets are shown signed.
 *
 * What is listed, in which order, with which flags and Size, is what Microsoft's dbghelp.dll
 * 10.0.19041.685 answered for each address (SymSetScopeFromAddr + SymEnumSymbolsW under the Wine
 * lane, 2026-12-06): the innermost block's locals first; one entry per live range covering the
 * address, pieces of a split variable included (x86 s at VFRAME+4 and +12, w in ESI and EBX;
 * arm64 s in X1 and X0); Size the live range's length (bytes of code), or the type's length
 * when no range covers the address (SYMFLAG_NULL) and for constants; x86's VFRAME is REGREL
 * with register 30006; constants LOCAL | CONSTANT without VALUEPRESENT. Those answers agree with
 * the hand reading of the dumps (ranges `0001:0013` + 82 bytes for p on x64, and so on).
 */
import * as path from 'path';
import { BACKENDS, KNOWN_GAPS, loadBackend, type BackendName } from './backends';

const FIX = path.resolve(__dirname, '..', 'fixtures');
const bin = (f: string) => path.join(FIX, 'bin', f);

const F = { VALUEPRESENT: 0x1, REGISTER: 0x8, REGREL: 0x10, FRAMEREL: 0x20, PARAMETER: 0x40, LOCAL: 0x80, CONSTANT: 0x100, NULL: 0x80000 };
const PARAM = F.LOCAL | F.PARAMETER;

/** [name, flags, register, offset (signed), Size] */
type Row = [string, number, number, number, number];

const EXPECTED: Record<string, { at: number; what: string; rows: Row[] }[]> = {
  x64: [
    {
      at: 0x1000,
      what: 'sum_pair entry: the frame slots are valid from 0x100d (0001:0013, decimal) only, so nothing is available yet',
      rows: [
        ['p', PARAM | F.NULL, 0, 0, 8],
        ['scale', PARAM | F.NULL, 0, 0, 4],
        ['total', F.LOCAL | F.NULL, 0, 0, 4],
      ],
    },
    {
      at: 0x1020,
      what: 'sum_pair, outer block [0x101e, 0x1050) (0001:0030 + 50, decimal): RSP-relative slots',
      rows: [
        ['doubled', F.LOCAL | F.REGREL, 335, 36, 50],
        ['p', PARAM | F.REGREL, 335, 48, 82],
        ['scale', PARAM | F.REGREL, 335, 44, 82],
        ['total', F.LOCAL | F.REGREL, 335, 40, 82],
      ],
    },
    {
      at: 0x1030,
      what: 'sum_pair, inner block [0x102f, 0x1044)',
      rows: [
        ['excess', F.LOCAL | F.REGREL, 335, 32, 21],
        ['doubled', F.LOCAL | F.REGREL, 335, 36, 50],
        ['p', PARAM | F.REGREL, 335, 48, 82],
        ['scale', PARAM | F.REGREL, 335, 44, 82],
        ['total', F.LOCAL | F.REGREL, 335, 40, 82],
      ],
    },
    {
      at: 0x1047,
      what: 'sum_pair past the inner block, still in the outer one',
      rows: [
        ['doubled', F.LOCAL | F.REGREL, 335, 36, 50],
        ['p', PARAM | F.REGREL, 335, 48, 82],
        ['scale', PARAM | F.REGREL, 335, 44, 82],
        ['total', F.LOCAL | F.REGREL, 335, 40, 82],
      ],
    },
    {
      at: 0x10f0,
      what: 'span_width (-O2) entry: s at [RCX] (passed by reference), bias in EDX, w not yet set, i folded to 0',
      rows: [
        ['s', PARAM | F.REGREL, 330, 0, 22],
        ['bias', PARAM | F.REGISTER, 19, 0, 20],
        ['w', F.LOCAL | F.NULL, 0, 0, 8],
        ['i', F.LOCAL | F.CONSTANT, 0, 0, 4],
      ],
    },
    {
      at: 0x1117,
      what: 'span_width loop body: bias moved to ESI, w in RBX, step in EAX for two bytes; s is gone',
      rows: [
        ['step', F.LOCAL | F.REGISTER, 17, 0, 2],
        ['s', PARAM | F.NULL, 0, 0, 16],
        ['bias', PARAM | F.REGISTER, 23, 0, 49],
        ['w', F.LOCAL | F.REGISTER, 329, 0, 51],
        ['i', F.LOCAL | F.CONSTANT, 0, 0, 4],
      ],
    },
    {
      at: 0x1119,
      what: "span_width loop body past step's two bytes",
      rows: [
        ['step', F.LOCAL | F.NULL, 0, 0, 4],
        ['s', PARAM | F.NULL, 0, 0, 16],
        ['bias', PARAM | F.REGISTER, 23, 0, 49],
        ['w', F.LOCAL | F.REGISTER, 329, 0, 51],
        ['i', F.LOCAL | F.CONSTANT, 0, 0, 4],
      ],
    },
  ],
  x86: [
    {
      at: 0x1030,
      what: 'sum_pair (-O0, EBP frame): inner block [0x1030, 0x1041)',
      rows: [
        ['excess', F.LOCAL | F.REGREL, 22, -20, 17],
        ['doubled', F.LOCAL | F.REGREL, 22, -16, 40],
        ['p', PARAM | F.REGREL, 22, -8, 69],
        ['scale', PARAM | F.REGREL, 22, 16, 69],
        ['total', F.LOCAL | F.REGREL, 22, -12, 69],
      ],
    },
    {
      at: 0x1090,
      what: 'mainCRTStartup: realigned stack, locals from the virtual frame (local fp reg = VFRAME)',
      rows: [
        ['p', F.LOCAL | F.REGREL, 30006, -8, 143],
        ['s', F.LOCAL | F.REGREL, 30006, -24, 143],
      ],
    },
    {
      at: 0x1124,
      what: 'span_width (-O2, frame pointer omitted): s and bias on the virtual frame',
      rows: [
        ['s', PARAM | F.REGREL, 30006, 4, 26],
        ['s', PARAM | F.REGREL, 30006, 12, 26],
        ['bias', PARAM | F.REGREL, 30006, 20, 26],
        ['w', F.LOCAL | F.NULL, 0, 0, 8],
        ['i', F.LOCAL | F.CONSTANT, 0, 0, 4],
      ],
    },
    {
      at: 0x1146,
      what: 'span_width loop: w split over ESI (low half) and EBX: its first half answers',
      rows: [
        ['step', F.LOCAL | F.REGISTER, 17, 0, 17],
        ['s', PARAM | F.NULL, 0, 0, 16],
        ['bias', PARAM | F.NULL, 0, 0, 4],
        ['w', F.LOCAL | F.REGISTER, 23, 0, 48],
        ['w', F.LOCAL | F.REGISTER, 20, 0, 51],
        ['i', F.LOCAL | F.CONSTANT, 0, 0, 4],
      ],
    },
  ],
  arm64: [
    {
      at: 0x1044,
      what: 'sum_pair (-O0): SP-relative slots, inner block [0x1044, 0x1060)',
      rows: [
        ['excess', F.LOCAL | F.REGREL, 81, 8, 28],
        ['doubled', F.LOCAL | F.REGREL, 81, 12, 72],
        ['p', PARAM | F.REGREL, 81, 24, 116],
        ['scale', PARAM | F.REGREL, 81, 20, 116],
        ['total', F.LOCAL | F.REGREL, 81, 16, 116],
      ],
    },
    {
      at: 0x1104,
      what: 'span_width entry: bias in W2',
      rows: [
        ['s', PARAM | F.NULL, 0, 0, 16],
        ['bias', PARAM | F.REGISTER, 12, 0, 12],
        ['i', F.LOCAL | F.CONSTANT, 0, 0, 4],
        ['w', F.LOCAL | F.NULL, 0, 0, 8],
        ['step', F.LOCAL | F.NULL, 0, 0, 4],
      ],
    },
    {
      at: 0x1110,
      what: 'span_width: s split over X1 (offset 8, listed first) and X0 (offset 0): X0 answers; bias in W19',
      rows: [
        ['s', PARAM | F.REGISTER, 51, 0, 16],
        ['s', PARAM | F.REGISTER, 50, 0, 16],
        ['bias', PARAM | F.REGISTER, 29, 0, 60],
        ['i', F.LOCAL | F.CONSTANT, 0, 0, 4],
        ['w', F.LOCAL | F.NULL, 0, 0, 8],
        ['step', F.LOCAL | F.NULL, 0, 0, 4],
      ],
    },
  ],
};

describe.each(BACKENDS)('%s backend', (name: BackendName) => {
  const loaded = loadBackend(name);
  if ('error' in loaded) {
    test(`is not available on ${process.platform}: the load error says what was tried and what to do`, () => {
      expect(loaded.error).toMatchObject({ name: 'DbgHelpError', code: 'BACKEND_UNAVAILABLE' });
    });
    return;
  }
  const { SymbolHandler, SymTag, SymOpt, TypeInfo } = loaded.lib;
  const gaps = KNOWN_GAPS[name];
  const t = (title: string, fn: () => Promise<unknown>) => (gaps[title] ? test.failing(`${title} [known gap: ${gaps[title]}]`, fn) : test(title, fn));
  type Handler = ReturnType<typeof SymbolHandler.initialize>;
  async function withModule<T>(img: string, fn: (sym: Handler, base: bigint) => T): Promise<T> {
    const sym = SymbolHandler.initialize();
    try {
      return fn(sym, await sym.loadModule(bin(img)));
    } finally {
      sym.cleanup();
    }
  }
  const rows = (sym: Handler, mask?: string): Row[] => [...sym.enumSymbols(mask === undefined ? {} : { mask })].map((s) => [s.name, s.flags, s.register, Number(BigInt.asIntN(64, s.address)), s.size]);

  describe.each(Object.keys(EXPECTED))('locals-%s', (arch) => {
    for (const c of EXPECTED[arch]) {
      t(`scope at 0x${c.at.toString(16)}: ${c.what}`, async () => {
        await withModule(`locals-${arch}.exe`, (sym, base) => {
          expect(sym.setScopeFromAddr(base + BigInt(c.at))).toBe(true);
          expect(rows(sym)).toEqual(c.rows);
          for (const s of sym.enumSymbols()) expect(s).toMatchObject({ modBase: base, tag: SymTag.Data, nameLen: s.name.length });
          // SymSetContext with the same instruction address selects the same scope.
          expect(sym.setContext({ instructionOffset: base + BigInt(c.at), frameOffset: 0x1000n, stackOffset: 0x2000n })).toBe(true);
          expect(rows(sym)).toEqual(c.rows);
        });
      });
    }
  });

  t("the scope keeps each record's type and a stable index", async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      sym.setScopeFromAddr(base + 0x1030n);
      const first = [...sym.enumSymbols()];
      // expected/locals-x64.pdbutil.txt: p `type=0x1004 (pair)`, scale/total/doubled/excess 0x0074 (int).
      // Compared by what the type is, not its number (Microsoft's DLL numbers types its own way).
      const q = (id: number, r: number) => sym.getTypeInfo(base, id, r);
      expect(
        first.map((s) => [s.name, q(s.typeIndex, TypeInfo.GET_SYMTAG), q(s.typeIndex, TypeInfo.GET_SYMNAME) ?? q(s.typeIndex, TypeInfo.GET_BASETYPE), q(s.typeIndex, TypeInfo.GET_LENGTH)]),
      ).toEqual([
        ['excess', SymTag.BaseType, 6, 4n], // btInt
        ['doubled', SymTag.BaseType, 6, 4n],
        ['p', SymTag.UDT, 'pair', 8n],
        ['scale', SymTag.BaseType, 6, 4n],
        ['total', SymTag.BaseType, 6, 4n],
      ]);
      expect(new Set(first.map((s) => s.index)).size).toBe(first.length);
      expect([...sym.enumSymbols()].map((s) => s.index)).toEqual(first.map((s) => s.index));
    });
  });

  t('the mask filters the scope; a base or a module! mask lists the module instead', async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      sym.setScopeFromAddr(base + 0x1030n);
      expect(rows(sym, '*e*').map((r) => r[0])).toEqual(['excess', 'doubled', 'scale']);
      expect(rows(sym, 'Total')).toEqual([]);
      sym.setOptions(sym.getOptions() | SymOpt.CASE_INSENSITIVE);
      expect(rows(sym, 'Total').map((r) => r[0])).toEqual(['total']);
      const mod = [...sym.enumSymbols({ mask: 'locals-x64!sum_pair' })];
      expect(mod.map((s) => [s.name, s.tag])).toEqual([['sum_pair', SymTag.Function]]);
      expect([...sym.enumSymbols({ base, mask: 'total' })]).toEqual([]);
    });
  });

  t('an address in no module gives false and empties the scope', async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      expect(sym.setScopeFromAddr(base + 0x1030n)).toBe(true);
      expect(rows(sym)).toHaveLength(5);
      expect(sym.setScopeFromAddr(base + 0x1000000n)).toBe(false); // outside every module
      expect(rows(sym)).toEqual([]);
    });
  });

  t('an address in no function gives false and an empty scope', async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      expect(sym.setScopeFromAddr(base + 0x1030n)).toBe(true);
      expect(sym.setScopeFromAddr(base)).toBe(false); // the PE headers
      expect(rows(sym)).toEqual([]);
    });
  });
});
