/**
 * Types of the corpus's MSVC-built PDBs (VS2010 to VS2019, x86 and x64) through the public
 * API, against llvm-pdbutil 19.
 *
 * test/corpus/expected-types/NAME.types.txt are extracts of `llvm-pdbutil dump -types
 * -type-extras` (written by tools/types-extract.mjs): an evenly spread sample of each PDB's
 * UDT and enum definitions with their field lists, method lists and the records their members'
 * types need. Each sampled definition is walked (getTypeInfo on its TPI index, the portable
 * backend's id) and compared member by member with the dump: size, UDT kind, base classes
 * (type, offset, virtual), data members (name, offset, type, bit position and width), static
 * members, methods (one per overload), nested types, the vtable pointer, enumerator values.
 * getTypeFromName must answer the first definition of the name, enumTypes every definition.
 *
 * With DBGHELP_TYPES_FULL=1 and llvm-pdbutil-19 on the PATH, every definition of every PDB is
 * walked against a fresh full dump (slow: not part of the default run).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SymTag, TypeInfo as TI, UdtKind } from '../../lib/api/constants';
import { SymbolHandler } from '../../lib';
import { PdbFile } from '../../lib/formats/pdb/pdb-file';
import { corpusPath, describeCorpus } from '../helpers/corpus';
import { parseTypeDump, type DumpRecord } from '../helpers/type-dump';
import { definitions, describeChild, expectedChildren, expectedLooks, fieldMembers, looks, SIMPLE, walkContext, type Query } from '../helpers/type-walk';

const EXPECTED = path.join(__dirname, 'expected-types');
const X64 = new Set(['CrashWithException', 'dump_syms_regtest64', 'softokn3', 'WriteArgument']);
const pointerSizeOf = (rel: string) => (X64.has(path.basename(rel, '.pdb')) ? 8 : 4);
/** Each PDB's path and pointer size (x86 4, x64 8). */
const PDBS: Record<string, string> = {
  crash: 'getsentry_symbolic/symbolic-testutils/fixtures/windows/crash.pdb',
  CrashWithException: 'getsentry_symbolic/symbolic-testutils/fixtures/windows/CrashWithException.pdb',
  dump_syms_regtest: 'google_breakpad/src/tools/windows/dump_syms/testdata/dump_syms_regtest.pdb',
  dump_syms_regtest64: 'google_breakpad/src/tools/windows/dump_syms/testdata/dump_syms_regtest64.pdb',
  basic32: 'derived/mozilla_dump_syms/test_data/windows/basic32.pdb',
  softokn3: 'mstange_samply/fixtures/win64-ci/softokn3.pdb',
  WriteArgument: 'mstange_samply/fixtures/win64-ci/WriteArgument.pdb',
};

/** Walks `defs` through the API and returns every difference from the dump. */
function walkAndCompare(api: Query, byIndex: Map<number, DumpRecord>, defs: DumpRecord[], pointerSize: number): { walked: number; members: number; differences: string[] } {
  walkContext.pointerSize = pointerSize;
  const differences: string[] = [];
  let members = 0;
  for (const d of defs) {
    const id = d.index;
    const where = `0x${id.toString(16)} ${d.name}`;
    const got: Record<string, unknown> = { tag: api(id, TI.GET_SYMTAG), name: api(id, TI.GET_SYMNAME) };
    const want: Record<string, unknown> = { tag: d.kind === 'LF_ENUM' ? SymTag.Enum : SymTag.UDT, name: d.name };
    if (d.kind === 'LF_ENUM') {
      got.type = looks(api, api(id, TI.GET_TYPE) as number);
      want.type = expectedLooks(byIndex, d.underlying!);
      got.length = api(id, TI.GET_LENGTH);
      want.length = BigInt(SIMPLE[d.underlying! & 0xff]?.[1] ?? -1);
    } else {
      got.length = api(id, TI.GET_LENGTH);
      want.length = BigInt(d.sizeof!);
      got.kind = api(id, TI.GET_UDTKIND);
      want.kind = d.kind === 'LF_CLASS' ? UdtKind.Class : d.kind === 'LF_UNION' ? UdtKind.Union : d.kind === 'LF_INTERFACE' ? UdtKind.Interface : UdtKind.Struct;
    }
    const ids = api(id, TI.FINDCHILDREN) as number[];
    got.children = ids.map((c) => describeChild(api, id, c));
    want.children = (d.fieldList ? fieldMembers(byIndex, d.fieldList) : []).flatMap((m) => expectedChildren(byIndex, m, d.name!));
    got.count = api(id, TI.GET_CHILDRENCOUNT);
    want.count = (want.children as string[]).length;
    members += ids.length;
    if (JSON.stringify(got, big) !== JSON.stringify(want, big)) differences.push(`${where}: got ${JSON.stringify(got, big)}\n  want ${JSON.stringify(want, big)}`);
  }
  return { walked: defs.length, members, differences };
}
const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v);

describeCorpus('types of the corpus PDBs vs llvm-pdbutil', () => {
  describe.each(Object.keys(PDBS))('%s', (name) => {
    const text = fs.readFileSync(path.join(EXPECTED, `${name}.types.txt`), 'utf8');
    const dump = parseTypeDump(text);
    const byIndex = new Map(dump.tpi.map((r) => [r.index, r]));
    // The sampled definitions (the extract also holds definitions their members' types need).
    const sampled = new Set(
      /^# sampled (.*)$/m
        .exec(text)![1]
        .split(' ')
        .map((x) => parseInt(x, 16)),
    );
    const defs = definitions(dump.tpi).filter((d) => sampled.has(d.index));
    const byName = [...text.matchAll(/^# byname (0x[0-9A-F]+) (.*)$/gm)].map((m) => ({ index: parseInt(m[1], 16), name: m[2] }));
    const total = Number(/^# definitions (\d+)$/m.exec(text)![1]);
    const pdbPath = corpusPath(PDBS[name]);

    test('sampled UDTs and enums walk member by member as llvm-pdbutil dumps them', async () => {
      const sym = SymbolHandler.initialize();
      try {
        const base = await sym.loadModule(pdbPath, { baseAddress: 0x10000000n });
        const r = walkAndCompare((id, req) => sym.getTypeInfo(base, id, req), byIndex, defs, pointerSizeOf(PDBS[name]));
        expect(r.differences).toEqual([]);
        expect(r.walked).toBe(sampled.size);
        expect(r.walked).toBeGreaterThanOrEqual(25);
        expect(r.members).toBeGreaterThan(100);
      } finally {
        sym.cleanup();
      }
    });

    test('getTypeFromName answers the S_UDT typedef of a name, else the first definition; enumTypes lists every definition', async () => {
      const sym = SymbolHandler.initialize();
      try {
        const base = await sym.loadModule(pdbPath, { baseAddress: 0x10000000n });
        // Microsoft's dbghelp.dll 10.0.19041.685 on softokn3 (MSVC 19.15 objects; msoracle
        // `type`, 2026-12-06): _ldiv_t, _GUID, _EXCEPTION_POINTERS, _CONTEXT (each named by an
        // S_UDT of the globals) answer tag 17 SymTagTypedef, sizes 8, 16, 16, 1232; the typedef's
        // TYPE is then the definition.
        for (const { index, name: n } of byName) {
          const hit = sym.getTypeFromName(base, n);
          const def = hit?.tag === SymTag.Typedef ? sym.getTypeInfo(base, hit.typeIndex, TI.GET_TYPE) : hit?.typeIndex;
          expect([n, def, hit?.name]).toEqual([n, index, n]);
        }
        if (name === 'softokn3') {
          const got = ['_ldiv_t', '_GUID', '_EXCEPTION_POINTERS', '_CONTEXT'].map((n) => sym.getTypeFromName(base, n)).map((h) => [h?.name, h?.tag, h?.size]);
          expect(got).toEqual([
            ['_ldiv_t', SymTag.Typedef, 8],
            ['_GUID', SymTag.Typedef, 16],
            ['_EXCEPTION_POINTERS', SymTag.Typedef, 16],
            ['_CONTEXT', SymTag.Typedef, 1232],
          ]);
        }
        const listed = [...sym.enumTypes(base)].filter((s) => s.tag === SymTag.UDT || s.tag === SymTag.Enum);
        expect(listed).toHaveLength(total);
      } finally {
        sym.cleanup();
      }
    });
  });

  test('a lookup by name reads the TPI stream and its hash stream, nothing else, and decodes a handful of records', () => {
    const pdb = PdbFile.open(corpusPath(PDBS.basic32));
    try {
      const before = pdb.streamsRead.length;
      const tpi = pdb.tpi()!;
      const ti = tpi.findDefinition('EHExceptionRecord');
      expect(ti).toBe(0x1485);
      expect(pdb.streamsRead.slice(before)).toEqual([2, tpi.header.hashStreamIndex]);
      // Definitions of the name and their bucket's neighbours only, not the 9915 records.
      expect(tpi.bucket(0)!.length).toBeLessThan(20);
    } finally {
      pdb.close();
    }
  });

  test('IPI: every function id of every PDB names its function; the VS2010 PDB has no IPI, the FASTLINK one no type records', async () => {
    for (const rel of Object.values(PDBS)) {
      const pdb = PdbFile.open(corpusPath(rel));
      try {
        const ipi = pdb.ipi();
        if (rel.endsWith('dump_syms_regtest.pdb')) {
          expect(ipi).toBeUndefined();
          continue;
        }
        let n = 0;
        ipi!.forEach((id, leaf) => {
          if (leaf !== 0x1601 && leaf !== 0x1602) return;
          n++;
          const name = ipi!.functionIdName(id);
          expect(name.length).toBeGreaterThan(0);
          if (leaf === 0x1602) expect(name).toContain('::');
        });
        expect(n).toBeGreaterThan(50);
      } finally {
        pdb.close();
      }
    }
    const fast = PdbFile.open(corpusPath('getsentry_symbolic/symbolic-debuginfo/tests/fixtures/CppConsoleApp.pdb'));
    try {
      expect(fast.tpi()?.count ?? 0).toBe(0);
    } finally {
      fast.close();
    }
  });

  const full = process.env.DBGHELP_TYPES_FULL === '1' ? test : test.skip;
  full(
    'every definition of every PDB against a full llvm-pdbutil-19 dump (DBGHELP_TYPES_FULL=1)',
    async () => {
      for (const rel of Object.values(PDBS)) {
        const text = execFileSync('llvm-pdbutil-19', ['dump', '-types', '-type-extras', corpusPath(rel)], { maxBuffer: 1 << 30, encoding: 'utf8' });
        const d = parseTypeDump(text);
        const sym = SymbolHandler.initialize();
        try {
          const base = await sym.loadModule(corpusPath(rel), { baseAddress: 0x10000000n });
          const r = walkAndCompare((id, req) => sym.getTypeInfo(base, id, req), new Map(d.tpi.map((x) => [x.index, x])), definitions(d.tpi), pointerSizeOf(rel));
          process.stderr.write(`${path.basename(rel)}: ${r.walked} definitions, ${r.members} children, ${r.differences.length} differences\n`);
          expect(r.differences.slice(0, 5)).toEqual([]);
        } finally {
          sym.cleanup();
        }
      }
    },
    600000,
  );
});
