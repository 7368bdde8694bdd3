/**
 * Symbol ids (SYMBOL_INFO.Index) below the public API: their range, the laziness of the data
 * sizes (a fromAddr that lands in a function reads no type stream), the lenient size of a datum
 * whose type the TPI cannot answer, and malformed module streams under SymGetTypeInfo on symbol
 * ids, TI_FINDCHILDREN walks and inline-frame scopes (DbgHelpError BAD_FORMAT or an answer,
 * never another exception). The values themselves are checked in
 * test/conformance/symbol-types.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MachineType, SymOpt, TypeInfo } from '../../../lib/api/constants';
import { DbgHelpError } from '../../../lib/api/errors';
import type { ModuleInfo } from '../../../lib/api/types';
import { BufferSource } from '../../../lib/formats/binary/source';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import type { HandlerContext } from '../../../lib/portable/features/context';
import * as inlines from '../../../lib/portable/features/inlines';
import { Scope } from '../../../lib/portable/features/scope';
import { symbolTypeInfo } from '../../../lib/portable/features/symbol-info';
import { dataType } from '../../../lib/portable/features/types';
import { PortableHandler } from '../../../lib/portable/handler';
import { LoadedModule } from '../../../lib/portable/loaded-module';
import { PdbProvider, SYMBOL_ID_BASE, SYMBOL_ID_LIMIT } from '../../../lib/portable/pdb-provider';
import { rng } from '../../helpers/mutate';

const BIN = path.resolve(__dirname, '..', '..', 'fixtures', 'bin');
const TPI = 2;
const IPI = 4;

async function handlerWith(img: string): Promise<{ h: PortableHandler; base: bigint; pdb: PdbFile }> {
  const h = new PortableHandler({ options: SymOpt.UNDNAME });
  const base = await h.loadModule(path.join(BIN, img), {});
  const provider = h.moduleAt(base)!.provider as PdbProvider;
  return { h, base, pdb: provider.pdb };
}

describe('symbol ids', () => {
  test('fromAddr in a function reads neither TPI nor IPI; a data symbol reads TPI for its size, once', async () => {
    const { h, pdb } = await handlerWith('basic-x64.exe');
    try {
      const fn = h.fromName('chain_a')!;
      const before = pdb.streamsRead.length;
      const hit = h.fromAddr(fn.address + 2n)!;
      expect(hit.symbol).toMatchObject({ name: 'chain_a', size: fn.size });
      expect(pdb.streamsRead).not.toContain(TPI);
      expect(pdb.streamsRead).not.toContain(IPI);
      expect(pdb.streamsRead.length).toBeGreaterThanOrEqual(before);
      // g_message: const char[19] (LF_ARRAY size 19 in `llvm-pdbutil dump -types`).
      expect(h.fromName('g_message')).toMatchObject({ size: 19 });
      expect(pdb.streamsRead).toContain(TPI);
      expect(pdb.streamsRead.filter((s) => s === TPI)).toHaveLength(1);
    } finally {
      h.cleanup();
    }
  });

  test('ids are SYMBOL_ID_BASE + n, apart from type ids; idRecord maps each back; others name nothing', async () => {
    const { h, base } = await handlerWith('locals-x64.exe');
    try {
      const provider = h.moduleAt(base)!.provider as PdbProvider;
      const all = [...h.enumSymbols({ base })];
      for (const s of all) {
        expect(s.index).toBeGreaterThanOrEqual(SYMBOL_ID_BASE);
        expect(s.index).toBeLessThan(SYMBOL_ID_LIMIT);
        const at = provider.idRecord(s.index)!;
        expect(provider.id(at.stream, at.offset)).toBe(s.index);
      }
      const unused = SYMBOL_ID_BASE + 0x100000;
      expect(provider.idRecord(unused)).toBeUndefined();
      expect(provider.idRecord(SYMBOL_ID_BASE - 1)).toBeUndefined();
      for (const r of [TypeInfo.GET_SYMTAG, TypeInfo.GET_SYMNAME, TypeInfo.FINDCHILDREN]) expect(h.getTypeInfo(base, unused, r)).toBeUndefined();
    } finally {
      h.cleanup();
    }
  });

  test('a datum whose type TPI does not have keeps its record index and Size 0 (the lookup still answers)', async () => {
    const { h, base } = await handlerWith('basic-x64.exe');
    try {
      const provider = h.moduleAt(base)!.provider as PdbProvider;
      expect(dataType(provider, 0x3fff0000)).toEqual({ typeIndex: 0x3fff0000, size: 0 });
      expect(dataType(provider, 0)).toEqual({ typeIndex: 0, size: 0 });
      // LF_MODIFIER const int (0x1009 in basic-x64's TPI) is `int`.
      expect(dataType(provider, 0x1009)).toEqual({ typeIndex: 0x74, size: 4 });
    } finally {
      h.cleanup();
    }
  });
});

// --- malformed module streams ---------------------------------------------------------------

const MOD_BASE = 0x140000000n;

/** File offsets of a stream's bytes [from, to), through its MSF block list. */
function fileOffsets(pdb: PdbFile, stream: number, from: number, to: number): number[] {
  const bs = pdb.msf.superBlock.blockSize;
  const blocks = pdb.msf.streamBlocks(stream);
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(blocks[Math.floor(i / bs)] * bs + (i % bs));
  return out;
}

/** Runs every symbol-id question on one (mutated) PDB; returns what was not an answer or BAD_FORMAT. */
function exercise(bytes: Uint8Array, machine: number, rvas: number[]): { problems: string[]; rejected: number } {
  const problems: string[] = [];
  let rejected = 0;
  const step = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      rejected++;
      if (!(e instanceof DbgHelpError) || e.code !== 'BAD_FORMAT') problems.push(`${what}: ${e instanceof Error ? `${e.name} ${e.message}` : String(e)}`);
    }
  };
  let provider: PdbProvider | undefined;
  step('open', () => (provider = new PdbProvider(new PdbFile(new BufferSource(bytes, 'mutated.pdb')), undefined, machine)));
  if (!provider) return { problems, rejected };
  const m = new LoadedModule(MOD_BASE, 0x100000, 'mutated', provider, { machineType: machine } as ModuleInfo);
  const h: HandlerContext = {
    options: SymOpt.UNDNAME,
    moduleAt: (a: bigint) => (m.contains(a) ? m : undefined),
    moduleByBase: (b: bigint) => (b === MOD_BASE ? m : undefined),
    modulesNamed: () => [m],
    debug: () => {},
  };
  const ask = (id: number, depth: number): void => {
    for (const r of [
      TypeInfo.GET_SYMTAG,
      TypeInfo.GET_SYMNAME,
      TypeInfo.GET_TYPE,
      TypeInfo.GET_LENGTH,
      TypeInfo.GET_ADDRESS,
      TypeInfo.GET_DATAKIND,
      TypeInfo.GET_OFFSET,
      TypeInfo.GET_VALUE,
      TypeInfo.GET_LEXICALPARENT,
      TypeInfo.GET_CLASSPARENTID,
    ]) {
      step(`id 0x${id.toString(16)} request ${r}`, () => symbolTypeInfo(h, MOD_BASE, id, r));
    }
    if (depth > 8) return;
    let kids: number[] = [];
    step(`id 0x${id.toString(16)} children`, () => (kids = (symbolTypeInfo(h, MOD_BASE, id, TypeInfo.FINDCHILDREN) as number[] | undefined) ?? []));
    for (const k of kids) ask(k, depth + 1);
  };
  const ids: number[] = [];
  step('enumerate', () => {
    for (const s of provider!.enumerate({ options: SymOpt.UNDNAME })) ids.push(s.index);
  });
  for (const id of ids) ask(id, 0);
  const scope = new Scope();
  for (const r of rvas) {
    const a = MOD_BASE + BigInt(r);
    step(`scope 0x${r.toString(16)}`, () => {
      const q = inlines.queryInlineTrace(h, { startAddress: a, startContext: 0, startRetAddress: a, curAddress: a });
      const n = inlines.addrIncludeInlineTrace(h, a);
      for (let i = 0; i <= n; i++) {
        scope.set(h, { instructionOffset: a, inlineFrameContext: ((q?.curContext ?? 0) + i) >>> 0 });
        for (const s of scope.enumerate(h, () => true)) ask(s.index, 0);
        const site = inlines.fromInlineContext(h, a, ((q?.curContext ?? 0) + i) >>> 0);
        if (site) ask(site.symbol.index, 0);
      }
    });
  }
  return { problems, rejected };
}

const TARGETS: { pdb: string; machine: number; seed: number; cases: number }[] = [
  { pdb: 'inline-x64.pdb', machine: MachineType.AMD64, seed: 11, cases: 60 },
  { pdb: 'locals-x86.pdb', machine: MachineType.I386, seed: 23, cases: 40 },
];

describe('malformed module streams: SymGetTypeInfo on symbol ids and inline scopes give BAD_FORMAT or answers', () => {
  test.each(TARGETS.map((t) => [t.pdb, t] as const))(
    '%s',
    (_n, t) => {
      const original = new Uint8Array(fs.readFileSync(path.join(BIN, t.pdb)));
      const pdb = new PdbFile(new BufferSource(original, t.pdb));
      // The module holding the code at .text's start: its symbol records are what the walks read.
      const mod = pdb.modules().findIndex((m) => m.symStream !== 0xffff && m.symByteSize > 0);
      const info = pdb.modules()[mod];
      const offs = fileOffsets(pdb, info.symStream, 4, info.symByteSize);
      const r = rng(t.seed);
      const hostile = [0x00, 0xff, 0x7f, 0x80, 0x01];
      const rvas = Array.from({ length: 12 }, (_, i) => 0x1000 + i * 9);
      // The intact file answers without a single refusal.
      expect(exercise(original, t.machine, rvas)).toEqual({ problems: [], rejected: 0 });
      let rejected = 0;
      const problems: string[] = [];
      for (let k = 0; k < t.cases; k++) {
        const b = Uint8Array.from(original);
        const flips = 1 + Math.floor(r() * 4);
        for (let i = 0; i < flips; i++) b[offs[Math.floor(r() * offs.length)]] = r() < 0.5 ? hostile[Math.floor(r() * hostile.length)] : Math.floor(r() * 256);
        const res = exercise(b, t.machine, rvas);
        problems.push(...res.problems.map((p) => `case ${k}: ${p}`));
        if (res.rejected) rejected++;
      }
      expect(problems).toEqual([]);
      // The overwrites reach the decoders: some cases are refused somewhere.
      expect(rejected).toBeGreaterThan(t.cases / 10);
    },
    60_000,
  );
});
