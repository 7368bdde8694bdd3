/**
 * The portable x86 walker (lib/stackwalk over loadDump) against Microsoft's StackWalkEx on the
 * corpus's six x86 minidumps. The oracle is test/fixtures/mswalk-x86/<dump>.mswalk.json: the x64
 * dbghelp.dll 10.0.19041.685 walking IMAGE_FILE_MACHINE_I386 under Wine (tools/mswalk.c, recorded
 * by test/fixtures/dumps/tools/mswalk-corpus.sh; the Wine lane's stackwalk-x86.test.ts checks that
 * the native and ffi backends give the same walks), with each dump's modules loaded at its bases
 * from the images and PDBs beside it in the corpus.
 *
 * What Microsoft had to go on (MANIFEST.tsv): only mini.dmp has a PDB in the corpus (crash.pdb,
 * with crash.exe, beside it); the five Breakpad dumps have no image and no PDB, so their walks had
 * the dump's memory only: the stacks and 256 bytes of code around most threads' EIP.
 *
 * Compared per thread: the physical frames' instruction and stack pointers (AddrPC/AddrStack;
 * inline frames are StackWalkEx's own, the portable walker leaves them to the symbolizer), and
 * how each caller was found where Microsoft says: a frame whose FuncTableEntry (FPO_DATA) is set
 * was unwound from the PDB's frame data, and our next frame has trust `cfi` from the same record;
 * without one Microsoft followed the EBP chain, ours `frame_pointer`. Every difference is listed in
 * DIFFERENCES with what explains it, and the explanation is checked against the dump's bytes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { corpusPath, describeCorpus, manifest } from '../helpers/corpus';
import { loadDump, type LoadedDump } from '../../lib/dump/load-dump';
import { readU32 } from '../../lib/stackwalk/memory';
import { walkStack } from '../../lib/stackwalk';
import type { WalkResult } from '../../lib/stackwalk/types';

const ORACLE = path.join(__dirname, '..', 'fixtures', 'mswalk-x86');
const DUMPS = ['mini', 'minidump2', 'null_read_av', 'stack_exhaustion', 'thread_name_list', 'tiny-exe-with-cet-xsave-x86'] as const;

interface MsFpo {
  start: string;
  procSize: number;
  locals: number;
  params: number;
  prolog: number;
  regs: number;
  seh: number;
  bp: number;
  frame: number;
}
interface MsFrame {
  pc: string;
  ret: string;
  sp: string;
  fp: string;
  inline: boolean;
  rva: string | null;
  fpo: MsFpo | null;
}
interface MsWalk {
  dump: string;
  machine: string;
  threads: { id: number; crashing: boolean; frames: MsFrame[]; stopped: number }[];
}
const oracle = (name: string): MsWalk => JSON.parse(fs.readFileSync(path.join(ORACLE, `${name}.mswalk.json`), 'utf8')) as MsWalk;
const hex = (v: bigint | number) => `0x${v.toString(16)}`;

/**
 * Where the two walks part, by `<dump>:<thread id>`: the frames before `agree` are equal, and what
 * follows is explained by `kind` (each checked below against the dump):
 * - `no-code-at-eip`: Microsoft could read no code at frame 0's EIP (the dump does not hold it and
 *   no image is loaded) and then takes the function to be at its entry: the return address at
 *   [ESP], here 0x45, which is no address, so the walk ends. We follow the EBP chain (Breakpad's
 *   minidump_stackwalk gives the same frames, test/corpus/stack.test.ts). Checked under Wine with
 *   a copy of the dump whose 256 code bytes were moved to cover EIP: Microsoft then gives our
 *   three EBP-chain callers, 0x404200, 0x4053ec, 0x7c816fd7.
 * - `ms-no-scan`: the EBP chain's return address [EBP+4] is no address (below 64 KiB): Microsoft
 *   ends the walk (it never scans the stack); we reject it too, then scan and take [ESP], a
 *   return address into KERNELBASE.dll (trust `scan`).
 * - `ms-ebp-outside-modules`: [EBP+4] is in no module; Microsoft takes it as the caller, then
 *   stops there (no code, no module: AddrReturn 0). We require an EBP-chain return address to be
 *   in a module (Breakpad's rule), so we scan instead and find return addresses in ntdll.dll and
 *   kernel32.dll (then other modules: trust `scan`).
 */
const DIFFERENCES: Record<string, { agree: number; kind: 'no-code-at-eip' | 'ms-no-scan' | 'ms-ebp-outside-modules' }> = {
  'mini:2920': { agree: 1, kind: 'ms-no-scan' },
  'minidump2:3060': { agree: 1, kind: 'no-code-at-eip' },
  'minidump2:4544': { agree: 1, kind: 'ms-ebp-outside-modules' },
  'null_read_av:3372': { agree: 1, kind: 'ms-ebp-outside-modules' },
  'stack_exhaustion:6040': { agree: 1, kind: 'ms-ebp-outside-modules' },
};

describeCorpus("the portable x86 walker against Microsoft's StackWalkEx (test/fixtures/mswalk-x86)", () => {
  const loaded = new Map<string, LoadedDump>();
  const dumpOf = async (name: string): Promise<LoadedDump> => {
    let d = loaded.get(name);
    if (!d) {
      const file = corpusPath(oracle(name).dump);
      d = await loadDump(file, { searchPath: path.dirname(file) });
      loaded.set(name, d);
    }
    return d;
  };
  afterAll(() => {
    for (const d of loaded.values()) d.close();
  });
  const walk = (d: LoadedDump, id: number): WalkResult => {
    const t = d.threads().find((x) => x.thread.threadId === id)!;
    return walkStack({ arch: 'x86', context: t.context!.registers, memory: d.memory, moduleAt: (a) => d.moduleAt(a), maxFrames: 64 });
  };

  test("the corpus has a PDB for mini.dmp only (crash.pdb), and only its frames have FPO data in Microsoft's walks", async () => {
    // (rust-minidump's test.dmp is a byte-identical copy of minidump2.dmp.)
    const rows = manifest().filter((r) => r.kind === 'dmp' && r.arch === 'x86' && !/IDENTICAL to/.test(r.notes));
    expect(rows.map((r) => path.basename(r.local_path)).sort()).toEqual(DUMPS.map((d) => `${d}.dmp`).sort());
    for (const r of rows) {
      const withPdb = /modules with PDB in collection: (.*)$/.exec(r.notes)?.[1];
      expect([path.basename(r.local_path), withPdb === 'NONE' ? 'NONE' : withPdb?.split('->')[0]]).toEqual([path.basename(r.local_path), r.local_path.endsWith('mini.dmp') ? 'crash.exe' : 'NONE']);
    }
    for (const name of DUMPS) {
      const d = await dumpOf(name);
      const pdbs = d.modules.filter((m) => m.status.kind === 'loaded' && m.status.source === 'pdb').map((m) => m.name);
      expect([name, pdbs]).toEqual([name, name === 'mini' ? ['crash.exe'] : []]);
      const withFpo = oracle(name).threads.flatMap((t) => t.frames.filter((f) => f.fpo).map((f) => d.moduleAt(BigInt(f.pc))?.name));
      expect([name, [...new Set(withFpo)]]).toEqual([name, name === 'mini' ? ['crash.exe'] : []]);
    }
  });

  describe.each(DUMPS)('%s.dmp', (name) => {
    test('every thread: the same frames (instruction, stack pointer) as Microsoft, found the same way, or a listed difference', async () => {
      const d = await dumpOf(name);
      const ms = oracle(name);
      expect(ms.machine).toBe('x86');
      for (const t of ms.threads) {
        const msFrames = t.frames.filter((f) => !f.inline);
        const ours = walk(d, t.id);
        const mine = ours.frames.map((f) => ({ pc: hex(f.instruction), sp: hex(f.registers.get('esp')!) }));
        const theirs = msFrames.map((f) => ({ pc: f.pc, sp: f.sp }));
        const diff = DIFFERENCES[`${name}:${t.id}`];
        const agree = diff ? diff.agree : theirs.length;
        expect({ thread: t.id, frames: mine.slice(0, agree) }).toEqual({ thread: t.id, frames: theirs.slice(0, agree) });
        if (!diff) {
          // The same length: both end at the same frame (AddrReturn 0 / no caller), or both hit the cap.
          expect({ thread: t.id, frames: mine.length }).toEqual({ thread: t.id, frames: theirs.length });
          expect(msFrames[msFrames.length - 1].ret === '0x0' || msFrames.length === 64).toBe(true);
        }
        // How each caller was found: frame data where Microsoft had FPO_DATA, else the EBP chain,
        // whose frames' EBP is Microsoft's AddrFrame (an FPO frame's AddrFrame is its own frame base).
        for (let i = 1; i < agree; i++) {
          const want = msFrames[i - 1].fpo ? 'cfi' : 'frame_pointer';
          expect({ thread: t.id, frame: i, trust: ours.frames[i].trust }).toEqual({ thread: t.id, frame: i, trust: want });
        }
        for (let i = 0; i < agree; i++) {
          if (msFrames[i].fpo || (i > 0 && msFrames[i - 1].fpo) || (diff?.kind === 'no-code-at-eip' && i === 0)) continue;
          const ebp = ours.frames[i].registers.get('ebp');
          expect({ thread: t.id, frame: i, ebp: ebp === undefined ? undefined : hex(ebp) }).toEqual({ thread: t.id, frame: i, ebp: msFrames[i].fp });
        }
        if (diff) checkDifference(d, diff.kind, diff.agree, msFrames, ours, t.id);
      }
    });
  });

  test("mini.dmp: Microsoft's FPO_DATA for crash.exe's frames is the PDB's FRAMEDATA record x86FrameInfo gives", async () => {
    const d = await dumpOf('mini');
    const frames = oracle('mini').threads.flatMap((t) => t.frames.filter((f) => !f.inline && f.fpo));
    expect(frames.map((f) => f.rva)).toEqual(['0x2a3d', '0x2d97']);
    for (const f of frames) {
      const m = d.moduleAt(BigInt(f.pc))!;
      const info = m.x86FrameInfo!(Number(BigInt(f.pc) - m.base))!;
      const fpo = f.fpo!;
      // dbghelp.dll turns a FRAMEDATA record into an FPO_DATA: dwords for locals and params,
      // frame type 3 (FRAME_NONFPO), and the low 3 bits of cbSavedRegs (a byte count) as cbRegs.
      expect({
        kind: info.kind,
        start: hex(info.rvaStart),
        procSize: info.codeSize,
        locals: info.localsSize / 4,
        params: info.paramsSize / 4,
        prolog: info.prologSize,
        regs: info.savedRegsSize & 7,
        seh: info.hasSeh ? 1 : 0,
        bp: info.allocatesBasePointer ? 1 : 0,
        frame: 3,
      }).toEqual({ kind: 'framedata', ...fpo });
    }
  });
});

function checkDifference(d: LoadedDump, kind: string, agree: number, ms: MsFrame[], ours: WalkResult, id: number): void {
  const at = (i: number) => ({ thread: id, frame: i });
  const last = ours.frames[agree - 1].registers;
  const ebp = last.get('ebp')!;
  const esp = last.get('esp')!;
  switch (kind) {
    case 'no-code-at-eip': {
      // Microsoft: frame 0 only; no byte at EIP in the dump and no image for its module; [ESP] is no address.
      expect([at(0), ms.length, ms[0].ret]).toEqual([at(0), 1, '0x0']);
      const eip = ours.frames[0].instruction;
      expect(d.memory.read(eip, 1)).toBeUndefined();
      expect(d.moduleAt(eip)?.imageFile).toBeUndefined();
      expect(readU32(d.memory, esp)).toBeLessThan(0x10000);
      // (as at a function's entry, before `push ebp`: its AddrFrame is ESP - 4, not EBP)
      expect(ms[0].fp).toBe(hex(esp - 4n));
      // Ours: the EBP chain.
      expect(ours.frames.slice(1).map((f) => [hex(f.instruction), f.trust])).toEqual([
        ['0x404200', 'frame_pointer'],
        ['0x4053ec', 'frame_pointer'],
        ['0x7c816fd7', 'frame_pointer'],
      ]);
      break;
    }
    case 'ms-no-scan': {
      expect([at(agree - 1), ms.length, ms[agree - 1].ret]).toEqual([at(agree - 1), agree, '0x0']);
      expect(readU32(d.memory, ebp + 4n)).toBeLessThan(0x10000);
      const next = ours.frames[agree];
      expect([at(agree), next.trust, hex(next.registers.get('esp')!), next.module?.name]).toEqual([at(agree), 'scan', hex(esp + 4n), 'KERNELBASE.dll']);
      expect(next.instruction).toBe(BigInt(readU32(d.memory, esp)!));
      break;
    }
    case 'ms-ebp-outside-modules': {
      // Microsoft's next frame is [EBP+4], in no module, and its last.
      expect([at(agree), ms.length, ms[agree].rva, ms[agree].ret]).toEqual([at(agree), agree + 1, null, '0x0']);
      expect(hex(readU32(d.memory, ebp + 4n)!)).toBe(ms[agree].pc);
      expect(d.moduleAt(BigInt(ms[agree].pc))).toBeUndefined();
      // Ours scans to return addresses inside modules.
      const rest = ours.frames.slice(agree);
      expect(rest.length).toBeGreaterThan(1);
      expect(rest.every((f) => f.trust === 'scan' && f.module !== undefined)).toBe(true);
      expect([at(agree), rest[0].module?.name]).toEqual([at(agree), 'ntdll.dll']);
      break;
    }
    default:
      throw new Error(`unknown difference ${kind}`);
  }
}
