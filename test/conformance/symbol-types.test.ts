/**
 * Conformance: SymGetTypeInfo on symbol ids (SYMBOL_INFO.Index), SYMBOL_INFO.Size and TypeIndex
 * of data symbols, and the scope of an inline frame (SymSetScopeFromInlineContext), once per
 * backend.
 *
 * DbgHelp takes a symbol's Index wherever it takes a type id; Wine's symt_get_info (type.c)
 * answers per tag: SYMTAG, SYMNAME, TYPE (the symbol's type), LENGTH (a function's code bytes, a
 * datum's type's length), ADDRESS, DATAKIND, OFFSET (register-relative locals), LEXICALPARENT,
 * CHILDRENCOUNT/FINDCHILDREN (a function's locals, blocks and inline sites); and SYMBOL_INFO is
 * filled from those (symt_fill_sym_info: TypeIndex = TI_GET_TYPE, Size = TI_GET_LENGTH). So
 * every symbol must answer its own SymbolInfo back, whatever numbering the backend uses.
 *
 * Hand-checked values: data sizes from the C declarations of test/fixtures/src/basic.c
 * (`llvm-pdbutil dump -types bin/basic-<arch>.pdb` agrees: g_message LF_ARRAY size 19, s_table
 * 16, _tls_used a const forward reference to tls_dir64, 40 bytes on x64/arm64, 24 on x86);
 * locals from expected/locals-<arch>.pdbutil.txt (as in scope.test.ts: blocks at 0x101e+0x32 and
 * 0x102f+0x15 on x64); inline frames from expected/inline-<arch>.pdbutil.txt (addresses are
 * section 1 offsets in decimal, .text at RVA 0x1000; CV registers x86/x64 EAX 17, ECX 18, EDX 19,
 * VFRAME 30006).
 */
import * as fs from 'fs';
import * as path from 'path';
import { BACKENDS, gapTest, KNOWN_GAPS, loadBackend, type BackendName } from './backends';
import type { SymbolHandler as Handler, SymbolInfo } from '../../lib';

const FIX = path.resolve(__dirname, '..', 'fixtures');
const bin = (f: string) => path.join(FIX, 'bin', f);
/** Every fixture image with its PDB. */
const IMAGES = fs.readdirSync(path.join(FIX, 'bin')).filter((f) => /\.(exe|dll)$/.test(f) && fs.existsSync(bin(f.replace(/\.(exe|dll)$/, '.pdb'))));

const F = { VALUEPRESENT: 0x1, REGISTER: 0x8, REGREL: 0x10, FRAMEREL: 0x20, PARAMETER: 0x40, LOCAL: 0x80, CONSTANT: 0x100, TLSREL: 0x4000, NULL: 0x80000 };
const PARAM = F.LOCAL | F.PARAMETER;
/** cvconst.h DataKind. */
const DK = { Local: 1, StaticLocal: 2, Param: 3, FileStatic: 5, Global: 6, Constant: 9 };

/** basic.c's data: [name, size on x64, x86, arm64, DataKind]. */
const BASIC_DATA: [string, number, number, number, number][] = [
  ['g_initialized', 4, 4, 4, DK.Global], // int
  ['g_zeroed', 4, 4, 4, DK.Global], // int
  ['s_counter', 4, 4, 4, DK.FileStatic], // static int
  ['s_table', 16, 16, 16, DK.FileStatic], // static int[4]
  ['g_answer', 4, 4, 4, DK.Global], // const int
  ['g_message', 19, 19, 19, DK.Global], // const char[] = "hello from basic.c"
  ['t_depth', 4, 4, 4, DK.Global], // __declspec(thread) int
  ['t_calls', 4, 4, 4, DK.FileStatic], // static __declspec(thread) int
  ['g_scale', 8, 8, 8, DK.Global], // double
  ['g_sink', 4, 4, 4, DK.Global], // volatile int
  ['__xl_a', 8, 4, 8, DK.Global], // tlssup.c: a PIMAGE_TLS_CALLBACK
  ['_tls_used', 40, 24, 40, DK.Global], // tlssup.c: IMAGE_TLS_DIRECTORY64 / 32
];
const ARCH_COLUMN: Record<string, number> = { x64: 1, x86: 2, arm64: 3 };

/** [name, flags, register, offset] of a scope row, offsets signed. */
type Row = [string, number, number, number];

/**
 * Inline frames of run_chain (inline-<arch>.exe) at one address: the innermost frame first,
 * then outwards; `physical` is the function's own scope (context INIT, IGNORE, past the chain).
 */
const INLINE: Record<string, { at: number; frames: { name: string; address: number; rows: Row[] }[]; physical: Row[] }> = {
  x64: {
    at: 0x1020,
    frames: [
      // S_INLINESITE leaf: first code range [0x1f, 0x29); x in EDX from 0001:0031 (0x1f) for 78 bytes, t from 0x3c.
      {
        name: 'geometry::leaf',
        address: 0x101f,
        rows: [
          ['x', PARAM | F.REGISTER, 19, 0],
          ['t', F.LOCAL | F.NULL, 0, 0],
        ],
      },
      // middle: x "param | optimized away" (no range), r from 0001:0072.
      {
        name: 'geometry::middle',
        address: 0x100f,
        rows: [
          ['x', PARAM | F.NULL, 0, 0],
          ['r', F.LOCAL | F.NULL, 0, 0],
        ],
      },
      // outer: x in ECX over [0x6, 0x23).
      {
        name: 'geometry::outer',
        address: 0x1006,
        rows: [
          ['x', PARAM | F.REGISTER, 18, 0],
          ['r', F.LOCAL | F.NULL, 0, 0],
        ],
      },
    ],
    // run_chain: v in ECX over [0x0, 0x23); a from 0001:0096.
    physical: [
      ['v', PARAM | F.REGISTER, 18, 0],
      ['a', F.LOCAL | F.NULL, 0, 0],
    ],
  },
  x86: {
    at: 0x1024,
    frames: [
      // leaf: first range [0x22, 0x2b); x in EDX from 0001:0034 (0x22) for 73 bytes; t from 0001:0062.
      {
        name: 'geometry::leaf',
        address: 0x1022,
        rows: [
          ['x', PARAM | F.REGISTER, 19, 0],
          ['t', F.LOCAL | F.NULL, 0, 0],
        ],
      },
      {
        name: 'geometry::middle',
        address: 0x1012,
        rows: [
          ['x', PARAM | F.NULL, 0, 0],
          ['r', F.LOCAL | F.NULL, 0, 0],
        ],
      },
      // outer: x in EAX from 0001:0009 for 29 bytes: [0x9, 0x26).
      {
        name: 'geometry::outer',
        address: 0x1009,
        rows: [
          ['x', PARAM | F.REGISTER, 17, 0],
          ['r', F.LOCAL | F.NULL, 0, 0],
        ],
      },
    ],
    // run_chain: v at VFRAME+4 over the whole function (S_DEFRANGE_REGISTER_REL): REGREL, as
    // Microsoft's DLL answers (register 30006).
    physical: [
      ['v', PARAM | F.REGREL, 30006, 4],
      ['a', F.LOCAL | F.NULL, 0, 0],
    ],
  },
};

describe.each(BACKENDS)('%s backend', (name: BackendName) => {
  const loaded = loadBackend(name);
  if ('error' in loaded) {
    test(`is not available on ${process.platform}: the load error says what was tried and what to do`, () => {
      expect(loaded.error).toMatchObject({ name: 'DbgHelpError', code: 'BACKEND_UNAVAILABLE' });
    });
    return;
  }
  const { SymbolHandler, SymTag, SymOpt, TypeInfo: TI, InlineFrameContext } = loaded.lib;
  const gaps = KNOWN_GAPS[name];
  const t = (title: string, fn: () => Promise<unknown>) => (gaps[title] ? test.failing(`${title} [known gap: ${gaps[title]}]`, fn) : test(title, fn));
  async function withModule<T>(img: string, fn: (sym: Handler, base: bigint) => T): Promise<T> {
    const sym = SymbolHandler.initialize();
    try {
      return fn(sym, await sym.loadModule(bin(img)));
    } finally {
      sym.cleanup();
    }
  }
  const rows = (sym: Handler): Row[] => [...sym.enumSymbols()].map((s) => [s.name, s.flags, s.register, s.flags & F.VALUEPRESENT ? Number(s.value) : Number(BigInt.asIntN(64, s.address))]);
  /** What SymGetTypeInfo says about a symbol, beside what its SymbolInfo says. */
  function echo(sym: Handler, base: bigint, s: SymbolInfo) {
    const q = (r: number) => sym.getTypeInfo(base, s.index, r);
    const data = s.tag === SymTag.Data;
    const located = data && !(s.flags & (F.CONSTANT | F.TLSREL | F.REGISTER | F.REGREL | F.FRAMEREL | F.NULL));
    return {
      got: {
        tag: q(TI.GET_SYMTAG),
        name: q(TI.GET_SYMNAME),
        type: q(TI.GET_TYPE),
        typeId: q(TI.GET_TYPEID),
        index: q(TI.GET_SYMINDEX),
        length: s.tag === SymTag.Function || s.tag === SymTag.Thunk || data ? q(TI.GET_LENGTH) : 'n/a',
        address: s.tag === SymTag.Function || s.tag === SymTag.Thunk || located ? q(TI.GET_ADDRESS) : 'n/a',
      },
      want: {
        tag: s.tag,
        name: s.name,
        type: s.typeIndex || undefined,
        typeId: s.typeIndex || undefined,
        index: s.index,
        // A datum has no length of its own (Microsoft's DLL answers FALSE): its type has.
        length: s.tag === SymTag.Function || s.tag === SymTag.Thunk ? BigInt(s.size) : data ? undefined : 'n/a',
        address: s.tag === SymTag.Function || s.tag === SymTag.Thunk || located ? s.address : 'n/a',
      },
    };
  }

  describe.each(IMAGES)('%s', (img) => {
    const t = gapTest(gaps, img); // a known gap of one image: `<image> › <title>`
    t('every function, thunk and datum answers SymGetTypeInfo on its Index with its own SymbolInfo: tag, name, type, length, address', async () => {
      await withModule(img, (sym, base) => {
        const all = [...sym.enumSymbols({ base })].filter((s) => s.tag !== SymTag.PublicSymbol);
        expect(all.length).toBeGreaterThan(2);
        for (const s of all) {
          const { got, want } = echo(sym, base, s);
          expect([s.name, got]).toEqual([s.name, want]);
        }
        // Data symbols are as long as their type, and every one here has a sized type.
        for (const s of all.filter((x) => x.tag === SymTag.Data)) expect([s.name, s.size > 0, sym.getTypeInfo(base, s.typeIndex, TI.GET_LENGTH)]).toEqual([s.name, true, BigInt(s.size)]);
        // One symbol, one index.
        expect(new Set(all.map((s) => s.index)).size).toBe(all.length);
      });
    });

    t('public symbols answer SymTagPublicSymbol and their address on their Index', async () => {
      await withModule(img, (sym, base) => {
        const pubs = [...sym.enumSymbols({ base })].filter((s) => s.tag === SymTag.PublicSymbol);
        // TI_GET_SYMNAME is the record's name as written (both DLLs), whatever SYMOPT_UNDNAME
        // makes of SYMBOL_INFO.Name: the name enumerated without it.
        sym.setOptions(sym.getOptions() & ~SymOpt.UNDNAME);
        const raw = new Map([...sym.enumSymbols({ base })].map((s) => [s.index, s.name]));
        sym.setOptions(sym.getOptions() | SymOpt.UNDNAME);
        for (const s of pubs) {
          expect([s.name, sym.getTypeInfo(base, s.index, TI.GET_SYMTAG), sym.getTypeInfo(base, s.index, TI.GET_SYMNAME), sym.getTypeInfo(base, s.index, TI.GET_ADDRESS)]).toEqual([
            s.name,
            SymTag.PublicSymbol,
            raw.get(s.index),
            s.address,
          ]);
        }
      });
    });
  });

  describe.each(['x64', 'x86', 'arm64'])('basic-%s', (arch) => {
    const t = gapTest(gaps, `basic-${arch}`);
    t('data symbols: Size is the length of their type, DataKind global or file static, the same by name and by Index', async () => {
      await withModule(`basic-${arch}.exe`, (sym, base) => {
        const listed = new Map([...sym.enumSymbols({ base })].filter((s) => s.tag === SymTag.Data).map((s) => [s.name, s]));
        for (const row of BASIC_DATA) {
          const [n, , , , kind] = row;
          const size = row[ARCH_COLUMN[arch]] as number;
          const s = listed.get(n);
          expect([n, s?.size]).toEqual([n, size]);
          expect([n, sym.fromName(n)?.size]).toEqual([n, size]);
          // The datum has no LENGTH of its own (Microsoft's DLL answers FALSE); its type has.
          expect([n, sym.getTypeInfo(base, s!.index, TI.GET_LENGTH), sym.getTypeInfo(base, s!.index, TI.GET_DATAKIND)]).toEqual([n, undefined, kind]);
          // TypeIndex is a type of that length.
          expect([n, sym.getTypeInfo(base, s!.typeIndex, TI.GET_LENGTH)]).toEqual([n, BigInt(size)]);
        }
        const q = (n: string, r: number) => sym.getTypeInfo(base, listed.get(n)!.typeIndex, r);
        expect(q('g_message', TI.GET_SYMTAG)).toBe(SymTag.ArrayType);
        expect(q('g_message', TI.GET_COUNT)).toBe(19);
        expect(q('g_scale', TI.GET_SYMTAG)).toBe(SymTag.BaseType);
        expect(q('__xl_a', TI.GET_SYMTAG)).toBe(SymTag.PointerType);
        expect(q('_tls_used', TI.GET_SYMNAME)).toBe('tls_dir' + (arch === 'x86' ? '32' : '64'));
        // A function keeps its code length.
        const fn = sym.fromName('chain_a')!;
        expect(sym.getTypeInfo(base, fn.index, TI.GET_LENGTH)).toBe(BigInt(fn.size));
      });
    });
  });

  describe.each(['x64', 'x86', 'arm64'])('locals-%s', (arch) => {
    const t = gapTest(gaps, `locals-${arch}`);
    const img = `locals-${arch}.exe`;
    t("a function's TYPE is a FunctionType whose arguments are its parameters, in order and type", async () => {
      await withModule(img, (sym, base) => {
        const q = (id: number, r: number) => sym.getTypeInfo(base, id, r);
        for (const [fn, params] of [
          ['sum_pair', ['p', 'scale']],
          ['span_width', ['s', 'bias']],
          ['opaque', ['x']],
        ] as const) {
          const f = sym.fromName(fn)!;
          const type = q(f.index, TI.GET_TYPE) as number;
          expect(type).toBe(f.typeIndex);
          expect(q(type, TI.GET_SYMTAG)).toBe(SymTag.FunctionType);
          const args = q(type, TI.FINDCHILDREN) as number[];
          expect(q(type, TI.GET_COUNT)).toBe(params.length);
          const kids = q(f.index, TI.FINDCHILDREN) as number[];
          expect(q(f.index, TI.GET_CHILDRENCOUNT)).toBe(kids.length);
          const got = kids.filter((k) => q(k, TI.GET_DATAKIND) === DK.Param);
          expect([fn, got.map((k) => q(k, TI.GET_SYMNAME))]).toEqual([fn, params]);
          expect([fn, got.map((k) => q(k, TI.GET_TYPE))]).toEqual([fn, args.map((a) => q(a, TI.GET_TYPE))]);
          for (const k of kids) expect(q(k, TI.GET_LEXICALPARENT)).toBe(f.index);
        }
      });
    });

    t("sum_pair's children: parameters, a local, a block holding a local and a block (lexical parents, addresses, lengths)", async () => {
      await withModule(img, (sym, base) => {
        const q = (id: number, r: number) => sym.getTypeInfo(base, id, r);
        const f = sym.fromName('sum_pair')!;
        const tree = (id: number): unknown => {
          const tag = q(id, TI.GET_SYMTAG);
          if (tag === SymTag.Block) return { block: (q(id, TI.FINDCHILDREN) as number[]).map((k) => (expect(q(k, TI.GET_LEXICALPARENT)).toBe(id), tree(k))) };
          return [q(id, TI.GET_SYMNAME), tag, q(id, TI.GET_DATAKIND), q(id, TI.GET_LENGTH)];
        };
        // FuncDebugStart and FuncDebugEnd first (Microsoft's DLL and Wine's); a local's own id
        // has no LENGTH (its type has; a live range listed by a scope has its own).
        expect((q(f.index, TI.FINDCHILDREN) as number[]).map(tree)).toEqual([
          [undefined, SymTag.FuncDebugStart, undefined, undefined],
          [undefined, SymTag.FuncDebugEnd, undefined, undefined],
          ['p', SymTag.Data, DK.Param, undefined],
          ['scale', SymTag.Data, DK.Param, undefined],
          ['total', SymTag.Data, DK.Local, undefined],
          { block: [['doubled', SymTag.Data, DK.Local, undefined], { block: [['excess', SymTag.Data, DK.Local, undefined]] }] },
        ]);
        const [start, end] = q(f.index, TI.FINDCHILDREN) as number[];
        expect([q(start, TI.GET_LEXICALPARENT), q(end, TI.GET_LEXICALPARENT)]).toEqual([f.index, f.index]);
        if (arch === 'x64') {
          // S_BLOCK32 `addr = 0001:0030, code size = 50` and `0001:0047, code size = 21`.
          const outer = (q(f.index, TI.FINDCHILDREN) as number[])[5];
          const inner = (q(outer, TI.FINDCHILDREN) as number[])[1];
          expect([q(outer, TI.GET_ADDRESS), q(outer, TI.GET_LENGTH), q(outer, TI.GET_LEXICALPARENT)]).toEqual([base + 0x101en, 50n, f.index]);
          expect([q(inner, TI.GET_ADDRESS), q(inner, TI.GET_LENGTH), q(inner, TI.GET_LEXICALPARENT)]).toEqual([base + 0x102fn, 21n, outer]);
        }
      });
    });
  });

  t('scope locals: Size of their live range, TypeIndex of their type; DataKind, OFFSET (a DWORD), LENGTH and lexical parent by Index, in any order (locals-x64)', async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      const q = (id: number, r: number) => sym.getTypeInfo(base, id, r);
      const fn = sym.fromAddr(base + 0x1030n)!.symbol;
      // Asked first through TI_FINDCHILDREN (no address), then listed by a scope: the scope's
      // answers must not depend on what was asked before (one answer per id).
      const ask = (ids: number[]) => ids.map((id) => [q(id, TI.GET_SYMNAME), q(id, TI.GET_DATAKIND), q(id, TI.GET_OFFSET), q(id, TI.GET_LENGTH), q(id, TI.GET_LEXICALPARENT)]);
      const kids = q(fn.index, TI.FINDCHILDREN) as number[];
      const kidsBefore = ask(kids);
      expect(sym.setScopeFromAddr(base + 0x1030n)).toBe(true);
      const locals = [...sym.enumSymbols()];
      // Microsoft's dbghelp.dll: innermost first; Size and LENGTH the live range's bytes
      // (S_DEFRANGE_FRAMEPOINTER_REL: p, scale, total 0001:0013 + 82; doubled the outer block's
      // 50, excess the inner one's 21); TypeIndex p struct pair (8 bytes), the rest int.
      expect(
        locals.map((s) => [s.name, s.size, q(s.typeIndex, TI.GET_LENGTH), q(s.index, TI.GET_DATAKIND), q(s.index, TI.GET_OFFSET), q(s.index, TI.GET_LENGTH), q(s.index, TI.GET_TYPE) === s.typeIndex]),
      ).toEqual([
        ['excess', 21, 4n, DK.Local, 32, 21n, true],
        ['doubled', 50, 4n, DK.Local, 36, 50n, true],
        ['p', 82, 8n, DK.Param, 48, 82n, true],
        ['scale', 82, 4n, DK.Param, 44, 82n, true],
        ['total', 82, 4n, DK.Local, 40, 82n, true],
      ]);
      expect(q(locals[2].typeIndex, TI.GET_SYMNAME)).toBe('pair');
      // p, scale, total in the function; doubled in the outer block; excess in the inner one.
      const [excess, doubled, p, , total] = locals.map((s) => q(s.index, TI.GET_LEXICALPARENT) as number);
      expect([p, total]).toEqual([fn.index, fn.index]);
      expect(q(doubled, TI.GET_SYMTAG)).toBe(SymTag.Block);
      expect(q(doubled, TI.GET_LEXICALPARENT)).toBe(fn.index);
      expect(q(excess, TI.GET_LEXICALPARENT)).toBe(doubled);
      // The same ids asked again, after the listing and in reverse: the same answers.
      expect(ask(kids)).toEqual(kidsBefore);
      const listed = ask(locals.map((s) => s.index));
      expect(ask(locals.map((s) => s.index).reverse()).reverse()).toEqual(listed);
      sym.setScopeFromAddr(base + 0x1000n);
      Array.from(sym.enumSymbols()); // a listing in between
      expect(ask(locals.map((s) => s.index))).toEqual(listed);

      // span_width (-O2) at its entry: s a struct span (16), w long long (8), i folded to the constant 0.
      expect(sym.setScopeFromAddr(base + 0x10f0n)).toBe(true);
      const opt = [...sym.enumSymbols()];
      expect(opt.map((s) => [s.name, s.size, q(s.typeIndex, TI.GET_LENGTH), q(s.index, TI.GET_DATAKIND)])).toEqual([
        ['s', 22, 16n, DK.Param],
        ['bias', 20, 4n, DK.Param],
        ['w', 8, 8n, DK.Local],
        ['i', 4, 4n, DK.Constant],
      ]);
      expect(q(opt[3].index, TI.GET_VALUE)).toBe(0);
      // s at [RCX]: offset 0; bias in EDX: a register, no offset.
      expect([q(opt[0].index, TI.GET_OFFSET), q(opt[1].index, TI.GET_OFFSET)]).toEqual([0, undefined]);
    });
  });

  t('x86 frame-pointer locals: OFFSET is the negative EBP offset as a DWORD', async () => {
    await withModule('locals-x86.exe', (sym, base) => {
      expect(sym.setScopeFromAddr(base + 0x1030n)).toBe(true);
      const got = [...sym.enumSymbols()].map((s) => [s.name, sym.getTypeInfo(base, s.index, TI.GET_OFFSET)]);
      // scope.test.ts: p -8, scale 16, total -12, doubled -16, excess -20 from EBP (innermost first).
      expect(got).toEqual([
        ['excess', 0xffffffec],
        ['doubled', 0xfffffff0],
        ['p', 0xfffffff8],
        ['scale', 16],
        ['total', 0xfffffff4],
      ]);
    });
  });

  describe.each(Object.keys(INLINE))('inline-%s', (arch) => {
    const t = gapTest(gaps, `inline-${arch}`);
    const c = INLINE[arch];
    const img = `inline-${arch}.exe`;
    t(`setContext with each inline frame's context lists that inlinee's parameters and locals (run_chain at 0x${c.at.toString(16)})`, async () => {
      await withModule(img, (sym, base) => {
        const a = base + BigInt(c.at);
        expect(sym.addrIncludeInlineTrace(a)).toBe(c.frames.length);
        const ctx = sym.queryInlineTrace({ startAddress: a, startContext: InlineFrameContext.INIT, startRetAddress: a, curAddress: a })!.curContext;
        c.frames.forEach((frame, i) => {
          expect(sym.setContext({ instructionOffset: a, inlineFrameContext: (ctx + i) >>> 0 })).toBe(true);
          expect([frame.name, rows(sym)]).toEqual([frame.name, frame.rows]);
        });
        // The physical function: no context, INIT, IGNORE, a context past the chain.
        for (const inlineFrameContext of [undefined, InlineFrameContext.INIT, InlineFrameContext.IGNORE, (ctx + c.frames.length) >>> 0]) {
          expect(sym.setContext({ instructionOffset: a, inlineFrameContext })).toBe(true);
          expect([inlineFrameContext, rows(sym)]).toEqual([inlineFrameContext, c.physical]);
        }
        expect(sym.setScopeFromAddr(a)).toBe(true);
        expect(rows(sym)).toEqual(c.physical);
        // The context of another function's chain names no frame of run_counter: its own scope.
        const other = sym.fromName('run_counter')!.address;
        expect(sym.setContext({ instructionOffset: other, inlineFrameContext: ctx })).toBe(true);
        sym.setScopeFromAddr(other);
        const own = rows(sym);
        sym.setContext({ instructionOffset: other, inlineFrameContext: ctx });
        expect(rows(sym)).toEqual(own);
      });
    });

    t('inline sites by Index: tag, name, first code address, lexical parent (the enclosing site or the function), children; their locals point back at them', async () => {
      await withModule(img, (sym, base) => {
        const q = (id: number, r: number) => sym.getTypeInfo(base, id, r);
        const a = base + BigInt(c.at);
        const fn = sym.fromAddr(a)!.symbol;
        const ctx = sym.queryInlineTrace({ startAddress: a, startContext: InlineFrameContext.INIT, startRetAddress: a, curAddress: a })!.curContext;
        const sites = c.frames.map((_, i) => sym.fromInlineContext(a, (ctx + i) >>> 0)!.symbol);
        c.frames.forEach((frame, i) => {
          const s = sites[i];
          expect([s.name, s.tag]).toEqual([frame.name, SymTag.InlineSite]);
          expect([q(s.index, TI.GET_SYMTAG), q(s.index, TI.GET_SYMNAME), q(s.index, TI.GET_ADDRESS)]).toEqual([SymTag.InlineSite, frame.name, base + BigInt(frame.address)]);
          expect(q(s.index, TI.GET_TYPE)).toBe(s.typeIndex);
          expect(q(s.index, TI.GET_LEXICALPARENT)).toBe(i + 1 < sites.length ? sites[i + 1].index : fn.index);
          // Its children: its own x and local, then the next inlinee's site.
          const kids = q(s.index, TI.FINDCHILDREN) as number[];
          expect(kids.map((k) => [q(k, TI.GET_SYMNAME), q(k, TI.GET_SYMTAG)])).toEqual([
            ...frame.rows.map((r) => [r[0], SymTag.Data]),
            [i === 0 ? 'header_twice' : c.frames[i - 1].name, SymTag.InlineSite],
          ]);
          sym.setContext({ instructionOffset: a, inlineFrameContext: (ctx + i) >>> 0 });
          for (const l of sym.enumSymbols()) expect([l.name, q(l.index, TI.GET_LEXICALPARENT), q(l.typeIndex, TI.GET_LENGTH)]).toEqual([l.name, s.index, 4n]);
        });
        // The function's children: v, a and the outermost site.
        expect((q(fn.index, TI.FINDCHILDREN) as number[]).map((k) => q(k, TI.GET_SYMNAME) ?? q(k, TI.GET_SYMTAG))).toEqual([SymTag.FuncDebugStart, SymTag.FuncDebugEnd, 'v', 'a', 'geometry::outer']);
      });
    });
  });

  t("a member function's class parent is its class; `this` is its parameter, a pointer to that class (cppfeatures-x64)", async () => {
    await withModule('cppfeatures-x64.exe', (sym, base) => {
      const q = (id: number, r: number) => sym.getTypeInfo(base, id, r);
      // geometry::Rect is named by an S_UDT: getTypeFromName answers that typedef, whose TYPE is the class.
      const typedef = sym.getTypeFromName(base, 'geometry::Rect')!;
      expect(typedef.tag).toBe(SymTag.Typedef);
      const rect = q(typedef.typeIndex, TI.GET_TYPE) as number;
      // S_GPROC32 `geometry::Rect::area`, type 0x103D `double geometry::Rect::()`; S_LOCAL `this` (param).
      const area = sym.fromName('geometry::Rect::area')!;
      expect(q(area.index, TI.GET_CLASSPARENTID)).toBe(rect);
      const kids = q(area.index, TI.FINDCHILDREN) as number[];
      expect(kids.map((k) => [q(k, TI.GET_SYMNAME) ?? q(k, TI.GET_SYMTAG), q(k, TI.GET_DATAKIND)])).toEqual([
        [SymTag.FuncDebugStart, undefined],
        [SymTag.FuncDebugEnd, undefined],
        ['this', DK.Param],
      ]);
      const self = q(kids[2], TI.GET_TYPE) as number;
      expect([q(self, TI.GET_SYMTAG), q(q(self, TI.GET_TYPE) as number, TI.GET_SYMNAME), q(self, TI.GET_LENGTH)]).toEqual([SymTag.PointerType, 'geometry::Rect', 8n]);
      // A free function has no class parent.
      expect(q(sym.fromName('geometry::scale')!.index, TI.GET_CLASSPARENTID)).toBeUndefined();
    });
  });

  t('ids that name no symbol answer undefined; symbol and type ids do not collide', async () => {
    await withModule('locals-x64.exe', (sym, base) => {
      const f = sym.fromName('sum_pair')!;
      // The function type is a type id; the function itself a symbol id.
      expect(sym.getTypeInfo(base, f.typeIndex, TI.GET_SYMTAG)).toBe(SymTag.FunctionType);
      expect(sym.getTypeInfo(base, f.index, TI.GET_SYMTAG)).toBe(SymTag.Function);
      expect(f.index).not.toBe(f.typeIndex);
      // A public symbol has no type and no children.
      const pub = [...sym.enumSymbols({ base })].find((s) => s.tag === SymTag.PublicSymbol);
      if (pub) expect([sym.getTypeInfo(base, pub.index, TI.GET_TYPE), sym.getTypeInfo(base, pub.index, TI.FINDCHILDREN)]).toEqual([undefined, undefined]);
      // A datum has no children.
      expect(sym.getTypeInfo(base, sym.fromName('g_out')!.index, TI.GET_CHILDRENCOUNT)).toBeUndefined();
    });
  });
});
