/**
 * `processMinidump` on the project's own crash dumps (test/fixtures/dumps: x64 programs built with
 * clang-19/lld-link-19, crashed under Wine, each with the frames the live process unwound at the
 * crash, `<scenario>.truth.json`). The symbol path holds only our image and PDB, as a crash
 * server has for a customer's app: frames in our image must equal the truth (address, function,
 * inline frames) in order, and the walk must carry on through the system frames the truth lists
 * until it reaches a system module whose unwind data is not in the dump.
 */
import * as fs from 'fs';
import * as path from 'path';
import { processMinidump } from '../../../lib/stack/process-dump';
import { formatText } from '../../../lib/stack/format-text';
import { toRustMinidumpJson } from '../../../lib/stack/format-json';
import type { ThreadOut } from '../../../lib/stack/process-state';

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'dumps');
const BIN = path.join(DIR, 'bin');
const IMAGE = 'crashes-x64.exe';

interface TruthFrame {
  pc: string;
  module: string;
  function?: string;
  inlines?: string[];
}
interface Truth {
  scenario: string;
  dump: string;
  threads: { role: string; id: number; frames: TruthFrame[] }[];
}

const truths: Truth[] = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.truth.json'))
  .map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Truth);

/** The frames of our image, as `pc function [inline, ...]`. */
const ours = (t: ThreadOut) => t.frames.filter((f) => f.module?.filename === IMAGE).map((f) => `${f.instruction.toString(16)} ${f.function} [${f.inlines.map((i) => i.function).join(', ')}]`);
const theirs = (frames: TruthFrame[]) => frames.filter((f) => f.module === IMAGE).map((f) => `${BigInt(f.pc).toString(16)} ${f.function} [${(f.inlines ?? []).join(', ')}]`);

test('there are eight scenarios', () => {
  expect(truths.map((t) => t.scenario).sort()).toEqual(['alloca', 'callback', 'chkstk', 'framepointer', 'inline', 'leaf', 'oscallback', 'seh']);
});

describe.each(truths.map((t) => [t.scenario, t] as const))('%s.dmp', (_name, truth) => {
  let state: Awaited<ReturnType<typeof processMinidump>>;
  beforeAll(async () => {
    state = await processMinidump(path.join(DIR, truth.dump), { searchPath: BIN });
  });

  test('the crashing thread: every frame in our image, in order, with its function and inline frames', () => {
    const crashed = state.threads[state.crashingThread!];
    const want = truth.threads.find((t) => t.role === 'crashing')!;
    expect(crashed.id).toBe(want.id);
    expect(ours(crashed)).toEqual(theirs(want.frames));
    // Frame 0 is the context; the walk reaches the return into kernel32 (the truth's next frame).
    expect(crashed.frames[0].trust).toBe('context');
    const firstSystem = want.frames.findIndex((f, i) => i > 0 && f.module === 'kernel32.dll');
    expect(crashed.frames.slice(0, firstSystem + 1).map((f) => f.instruction)).toEqual(want.frames.slice(0, firstSystem + 1).map((f) => BigInt(f.pc)));
  });

  test('the waiting thread: its frames in our image', () => {
    const want = truth.threads.find((t) => t.role !== 'crashing')!;
    const got = state.threads.find((t) => t.id === want.id)!;
    expect(ours(got)).toEqual(theirs(want.frames));
  });

  test('our module loaded from its PDB; the system modules say why they have none', () => {
    const img = state.modules.find((m) => m.filename === IMAGE)!;
    expect(img.status).toMatchObject({ kind: 'loaded', source: 'pdb' });
    expect(img.isMain).toBe(true);
    for (const m of state.modules.filter((x) => x.filename !== IMAGE)) expect(m.status.kind).not.toBe('loaded');
  });

  test('text and JSON name the crash', () => {
    expect(state.crash?.type).toMatch(/^EXCEPTION_ACCESS_VIOLATION_(READ|WRITE)$/);
    expect(formatText(state)).toContain(`Thread ${state.crashingThread} (crashed)`);
    const j = toRustMinidumpJson(state) as { crash_info: { type: string }; crashing_thread: { frames: { function: string | null }[] } };
    expect(j.crash_info.type).toBe(state.crash!.type);
    expect(j.crashing_thread.frames[0].function).toBe(theirs(truth.threads.find((t) => t.role === 'crashing')!.frames)[0].split(' ')[1]);
  });
});
