/**
 * StackWalkEx through the native and ffi backends (DllHandler.stackWalk, lib/stack/backend-walk.ts)
 * over the project's own x64 dumps (test/fixtures/dumps, README there), in the Wine lane:
 * - the frames equal Microsoft's StackWalkEx recorded over the same dump with the same inputs
 *   (`<scenario>.mswalk-exeonly.json`: only bin/crashes-x64.exe as an image), field by field;
 * - the physical frames equal the truth (the crashing process's own unwind) down to the first
 *   frame outside crashes-x64.exe, and the portable walker's frames (lib/stackwalk) there;
 * - processMinidump walks with the active backend's StackWalkEx and names the truth's chain.
 * With Wine's builtin dbghelp.dll behind the backends the lane lists where it differs
 * (WINE_WALK_DIFFERENCES, each with its reason).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { LoadedDump } from '../../lib/dump/load-dump';
import type { BackendWalk } from '../../lib/stack/backend-walk';
import { loadBackend } from '../conformance/backends';

const DUMPS = path.join(__dirname, '..', 'fixtures', 'dumps');
const BIN = path.join(DUMPS, 'bin');
const SCENARIOS = ['leaf', 'inline', 'chkstk', 'alloca', 'framepointer', 'seh', 'callback', 'oscallback'] as const;
const IMAGE = { base: 0x140000000n, size: 0x11000n };

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
  threads: { id: number; crashing: boolean; frames: MsFrame[]; stopped: number }[];
}
interface Truth {
  threads: { role: string; id: number; frames: { pc: string; sp: string; module: string; function?: string; inlines?: string[] }[] }[];
}
const readJson = <T>(f: string): T => JSON.parse(fs.readFileSync(path.join(DUMPS, f), 'utf8')) as T;
const hex = (v: bigint) => `0x${v.toString(16)}`;
const inImage = (pc: bigint) => pc >= IMAGE.base && pc < IMAGE.base + IMAGE.size;

/** A StackWalkEx answer in mswalk's fields (FrameSignature, bits 16-31, left out as mswalk does). */
function asMswalk(w: BackendWalk): { frames: MsFrame[]; stopped: number } {
  return {
    frames: w.frames.map((f) => {
      const type = (f.inlineContext >>> 8) & 0xff;
      return {
        pc: hex(f.pc),
        ret: hex(f.ret),
        sp: hex(f.sp),
        fp: hex(f.fp),
        frameType: `0x${type.toString(16).padStart(2, '0')}`,
        frameId: f.inlineContext & 0xff,
        inline: f.inline,
      };
    }),
    stopped: w.stopped,
  };
}

/**
 * Where Wine's builtin StackWalkEx (Wine 8.0, dlls/dbghelp/stack.c and cpu_x86_64.c) differs on
 * these dumps, found by the builtin lane; the same in all eight scenarios, both backends.
 */
const WINE_FIELDS =
  "Wine's StackWalkEx leaves AddrFrame 0, encodes InlineFrameContext its own way (a mode in bits 31:30, no STACK/RA frame type in byte 1), " +
  "adds an inline frame at main's return address 0x14000189b (it looks inline sites up at the return address, not inside the call), " +
  'and ends at mainCRTStartup without the frame of the return into kernel32.dll (loaded without its image), which Microsoft gives before stopping with 487';
const WINE_ENDS_EARLY =
  "Wine's StackWalkEx ends at the last frame inside crashes-x64.exe: the return address into kernel32.dll / kernelbase.dll (modules loaded without their image), the truth's next frame, is not given";
const WINE_WALK_DIFFERENCES: Record<string, string> = Object.fromEntries(
  SCENARIOS.flatMap((s) => [
    [`${s}: every thread's StackWalkEx frames equal Microsoft's recorded walk (mswalk-exeonly), field by field`, WINE_FIELDS],
    [`${s}: the crashing thread's physical frames are the truth's down to the first frame outside crashes-x64.exe`, WINE_ENDS_EARLY],
    [`${s}: the portable walker (lib/stackwalk) gives the same physical frames inside crashes-x64.exe`, WINE_ENDS_EARLY],
  ]),
);

for (const name of ['native', 'ffi'] as const) {
  describe(`${name} backend: StackWalkEx over the project's x64 dumps`, () => {
    const loaded = loadBackend(name);
    if ('error' in loaded) {
      test(`not available on ${process.platform}: nothing to walk (the Wine lane runs this)`, () => {
        expect(loaded.error).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
      });
      return;
    }
    const { lib } = loaded;
    const gaps = loaded.wine ? WINE_WALK_DIFFERENCES : {};
    const gapTest = (title: string, fn: () => Promise<unknown> | unknown) => {
      const why = gaps[title];
      return why ? test.failing(`${title} [known difference: ${why}]`, fn as () => Promise<unknown>) : test(title, fn as () => Promise<unknown>);
    };

    describe.each(SCENARIOS)('%s.dmp', (scenario) => {
      let dump: LoadedDump;
      const ms = readJson<MsWalk>(`${scenario}.mswalk-exeonly.json`);
      const truth = readJson<Truth>(`${scenario}.truth.json`);
      beforeAll(async () => {
        dump = await lib.loadDump(path.join(DUMPS, `${scenario}.dmp`), { searchPath: BIN });
      });
      afterAll(() => dump?.close());
      const walk = (threadId: number) => {
        const t = dump.threads().find((x) => x.thread.threadId === threadId)!;
        const handler = dump.handler.backendHandler;
        expect(typeof handler.stackWalk).toBe('function');
        return handler.stackWalk!({ arch: 'amd64', context: t.context!, memory: dump.memory, moduleAt: (a) => dump.moduleAt(a), threadId, maxFrames: 64 });
      };

      gapTest(`${scenario}: every thread's StackWalkEx frames equal Microsoft's recorded walk (mswalk-exeonly), field by field`, () => {
        for (const t of ms.threads) {
          const got = asMswalk(walk(t.id));
          expect({ thread: t.id, ...got }).toEqual({
            thread: t.id,
            frames: t.frames.map(({ pc, ret, sp, fp, frameType, frameId, inline }) => ({ pc, ret, sp, fp, frameType, frameId, inline })),
            stopped: t.stopped,
          });
        }
      });

      gapTest(`${scenario}: the crashing thread's physical frames are the truth's down to the first frame outside crashes-x64.exe`, () => {
        const crash = truth.threads.find((t) => t.role === 'crashing')!;
        const want: { pc: string; sp: string }[] = [];
        for (const f of crash.frames) {
          want.push({ pc: f.pc, sp: f.sp });
          if (!inImage(BigInt(f.pc))) break;
        }
        const got = walk(crash.id)
          .frames.filter((f) => !f.inline)
          .slice(0, want.length)
          .map((f) => ({ pc: hex(f.pc), sp: hex(f.sp) }));
        expect(got).toEqual(want);
      });

      gapTest(`${scenario}: the portable walker (lib/stackwalk) gives the same physical frames inside crashes-x64.exe`, () => {
        const crash = truth.threads.find((t) => t.role === 'crashing')!;
        const t = dump.threads().find((x) => x.thread.threadId === crash.id)!;
        const portable = lib.walkStack({ arch: 'amd64', context: t.context!.registers, memory: dump.memory, moduleAt: (a) => dump.moduleAt(a), maxFrames: 64 });
        const physical = walk(crash.id).frames.filter((f) => !f.inline);
        const upTo = (pcs: bigint[]) => {
          const i = pcs.findIndex((pc) => !inImage(pc));
          return (i < 0 ? pcs : pcs.slice(0, i + 1)).map(hex);
        };
        expect(upTo(physical.map((f) => f.pc))).toEqual(upTo(portable.frames.map((f) => f.instruction)));
        // And the stack pointers where both give one.
        const sps = portable.frames.slice(0, upTo(physical.map((f) => f.pc)).length).map((f) => f.registers.get('rsp'));
        expect(sps.map((v) => (v === undefined ? undefined : hex(v)))).toEqual(physical.slice(0, sps.length).map((f) => hex(f.sp)));
      });

      gapTest(`${scenario}: processMinidump walks with StackWalkEx and names the truth's chain inside crashes-x64.exe`, async () => {
        const state = await lib.processMinidump(path.join(DUMPS, `${scenario}.dmp`), { searchPath: BIN });
        const crash = truth.threads.find((t) => t.role === 'crashing')!;
        const thread = state.threads.find((t) => t.id === crash.id)!;
        // The chain that the committed image alone reaches: up to the first frame outside it
        // (oscallback: its frame 1 is in kernelbase.dll, whose image the test does not have).
        const reach = crash.frames.findIndex((f) => !inImage(BigInt(f.pc)));
        const named = crash.frames.slice(0, reach < 0 ? undefined : reach).filter((f) => f.function);
        expect(named.length).toBeGreaterThan(0);
        const got = thread.frames.slice(0, named.length).map((f) => ({ pc: hex(f.instruction), function: f.function, inlines: f.inlines.map((i) => i.function) }));
        expect(got).toEqual(named.map((f) => ({ pc: f.pc, function: f.function, inlines: f.inlines ?? [] })));
      });
    });
  });
}
