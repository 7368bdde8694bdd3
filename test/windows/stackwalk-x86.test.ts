/**
 * StackWalkEx through the native and ffi backends over the corpus's x86 minidumps
 * (IMAGE_FILE_MACHINE_I386 from an x86 CONTEXT, DllHandler.stackWalk), in the Wine lane: the
 * frames equal Microsoft's StackWalkEx recorded by tools/mswalk.c over the same dump
 * (test/fixtures/mswalk-x86/<dump>.mswalk.json, test/fixtures/dumps/tools/mswalk-corpus.sh),
 * field by field, thread by thread; processMinidump on mini.dmp walks with it and names the
 * crash chain. The portable walker's comparison with the same files is
 * test/corpus/stackwalk-x86-ms.test.ts (no Wine needed).
 *
 * The inputs differ in one way from mswalk's: loadDump loads only the modules whose image or PDB
 * it finds (crash.exe here), mswalk loads the others by name too. Microsoft's x86 walk of these
 * dumps does not depend on it (the recorded frames are equalled).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { BackendWalk } from '../../lib/stack/backend-walk';
import { corpusPath, describeCorpus } from '../helpers/corpus';
import { loadBackend } from '../conformance/backends';

const ORACLE = path.join(__dirname, '..', 'fixtures', 'mswalk-x86');
const DUMPS = ['mini', 'minidump2', 'null_read_av', 'stack_exhaustion', 'thread_name_list', 'tiny-exe-with-cet-xsave-x86'] as const;

interface MsFrame {
  pc: string;
  ret: string;
  sp: string;
  fp: string;
  frameType: string;
  frameId: number;
  inline: boolean;
}
interface MsWalk {
  dump: string;
  machine: string;
  threads: { id: number; crashing: boolean; frames: MsFrame[]; stopped: number }[];
}
const oracle = (name: string): MsWalk => JSON.parse(fs.readFileSync(path.join(ORACLE, `${name}.mswalk.json`), 'utf8')) as MsWalk;
const hex = (v: bigint) => `0x${v.toString(16)}`;

/** A StackWalkEx answer in mswalk's fields (FrameSignature, bits 16-31, left out as mswalk does). */
function asMswalk(w: BackendWalk): { frames: MsFrame[]; stopped: number } {
  return {
    frames: w.frames.map((f) => ({
      pc: hex(f.pc),
      ret: hex(f.ret),
      sp: hex(f.sp),
      fp: hex(f.fp),
      frameType: `0x${((f.inlineContext >>> 8) & 0xff).toString(16).padStart(2, '0')}`,
      frameId: f.inlineContext & 0xff,
      inline: f.inline,
    })),
    stopped: w.stopped,
  };
}

/** Wine's builtin StackWalkEx (Wine 8.0, dlls/dbghelp/cpu_i386.c) is not Microsoft's: not compared. */
const WINE_X86 = "Wine's StackWalkEx is not Microsoft's (own InlineFrameContext encoding, AddrFrame, no FPO from the x64 build's i386 unwinder): the oracle is Microsoft's";

describeCorpus('StackWalkEx (x86) over the corpus dumps', () => {
  for (const name of ['native', 'ffi'] as const) {
    describe(`${name} backend`, () => {
      const loaded = loadBackend(name);
      if ('error' in loaded) {
        test(`not available on ${process.platform}: nothing to walk (the Wine lane runs this)`, () => {
          expect(loaded.error).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
        });
        return;
      }
      const { lib } = loaded;
      const t = loaded.wine ? (title: string, fn: () => Promise<void>) => test.failing(`${title} [known difference: ${WINE_X86}]`, fn) : test;

      for (const dumpName of DUMPS) {
        t(`${dumpName}: every thread's StackWalkEx frames equal Microsoft's recorded walk, field by field`, async () => {
          const ms = oracle(dumpName);
          expect(ms.machine).toBe('x86');
          const file = corpusPath(ms.dump);
          const dump = await lib.loadDump(file, { searchPath: path.dirname(file) });
          try {
            expect(dump.arch).toBe('x86');
            const handler = dump.handler.backendHandler;
            expect(typeof handler.stackWalk).toBe('function');
            for (const th of ms.threads) {
              const thread = dump.threads().find((x) => x.thread.threadId === th.id)!;
              const got = asMswalk(handler.stackWalk!({ arch: 'x86', context: thread.context!, memory: dump.memory, moduleAt: (a) => dump.moduleAt(a), threadId: th.id, maxFrames: 64 }));
              const want = th.frames.map(({ pc, ret, sp, fp, frameType, frameId, inline }) => ({ pc, ret, sp, fp, frameType, frameId, inline }));
              expect({ thread: th.id, ...got }).toEqual({ thread: th.id, frames: want, stopped: th.stopped });
            }
          } finally {
            dump.close();
          }
        });
      }

      test("minidump2.dmp thread 3060: given readable code bytes at EIP, StackWalkEx follows the EBP chain to the portable walker's frames", async () => {
        // Microsoft's recorded walk stops at frame 0: the dump holds no code at EIP 0x40429e and no
        // image is loaded, so it takes [ESP] (0x45) as the return address. 256 NOPs around EIP
        // (the size of the code Breakpad's client saves) make it walk the EBP chain instead (Wine's
        // StackWalkEx gives the same frames).
        const file = corpusPath(oracle('minidump2').dump);
        const dump = await lib.loadDump(file, { searchPath: path.dirname(file) });
        try {
          const thread = dump.threads().find((x) => x.thread.threadId === 3060)!;
          const eip = thread.context!.registers.get('eip')!;
          const code = { start: eip - 0x80n, end: eip + 0x80n };
          const memory = {
            read: (a: bigint, n: number) => (a >= code.start && a + BigInt(n) <= code.end ? new Uint8Array(n).fill(0x90) : dump.memory.read(a, n)),
          };
          const req = { arch: 'x86' as const, context: thread.context!, memory, moduleAt: (a: bigint) => dump.moduleAt(a), threadId: 3060, maxFrames: 64 };
          const ms = dump.handler.backendHandler.stackWalk!(req).frames.map((f) => [hex(f.pc), hex(f.sp)]);
          const portable = lib.walkStack({ ...req, context: thread.context!.registers }).frames.map((f) => [hex(f.instruction), hex(f.registers.get('esp')!)]);
          expect(portable.map((f) => f[0])).toEqual(['0x40429e', '0x404200', '0x4053ec', '0x7c816fd7']);
          expect(ms).toEqual(portable);
        } finally {
          dump.close();
        }
      });

      t('mini.dmp: processMinidump walks the crashing thread with StackWalkEx (inline frames folded) and names its chain', async () => {
        const file = corpusPath(oracle('mini').dump);
        const state = await lib.processMinidump(file, { searchPath: path.dirname(file) });
        const crash = state.threads[state.crashingThread!];
        expect(crash.frames.map((f) => [hex(f.instruction), f.function ?? null, f.inlines.map((i) => i.function)])).toEqual([
          ['0x2a2a3d', 'main', ['?A0xc3a0617d::crash', '?A0xc3a0617d::start']],
          ['0x2a2d97', '__scrt_common_main_seh', ['invoke_main']],
          ['0x750662c4', null, []],
          ['0x771d0f79', null, []],
          ['0x771d0f44', null, []],
        ]);
      });
    });
  }
});
