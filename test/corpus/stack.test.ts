/**
 * `dbghelp stack` (lib/stack/process-dump.ts) on the corpus's Windows minidumps.
 * - mini.dmp (getsentry/symbolic, with crash.exe/crash.pdb beside it): every thread pinned, frame
 *   by frame. Functions, lines and trust agree with symbolic's record (main at main.cpp:35, then
 *   __scrt_common_main_seh at exe_common.inl:283) and with Breakpad's minidump_stackwalk given
 *   symbolic's crash.sym (same frames, offsets and "Found by"); the inline frames are DbgHelp's
 *   (Breakpad's .sym has none).
 * - minidump2.dmp: the frames (module + offset) of Breakpad's minidump2.stackwalk.out. Without the
 *   .sym files we have no names for test_app.exe (its PDB is not in the corpus) and the trust of
 *   frames 1-3 differs (theirs: call frame info from the .sym; ours: the EBP chain or scanning).
 * - every Windows dump: walks without error, with Breakpad's crash reason and address.
 */
import * as fs from 'fs';
import * as path from 'path';
import { corpusPath, describeCorpus } from '../helpers/corpus';
import { processMinidump } from '../../lib/stack/process-dump';
import { formatText } from '../../lib/stack/format-text';
import type { FrameOut } from '../../lib/stack/process-state';

const SYMBOLIC = 'getsentry_symbolic/symbolic-testutils/fixtures/windows';
const BREAKPAD = 'google_breakpad/src/processor/testdata';

function line(f: FrameOut): string {
  const m = f.module?.filename;
  const base =
    f.function === undefined
      ? m
        ? `${m} + 0x${f.moduleOffset!.toString(16)}`
        : `0x${f.instruction.toString(16)}`
      : f.file !== undefined
        ? `${m}!${f.function} [${path.win32.basename(f.file)} : ${f.line} + 0x${f.lineOffset!.toString(16)}]`
        : `${m}!${f.function} + 0x${f.functionOffset!.toString(16)}`;
  const inl = f.inlines.map((i) => `${i.function}@${i.line}`).join(' < ');
  return `${base} (${f.trust})${inl ? ` inlines: ${inl}` : ''}`;
}

describeCorpus('dbghelp stack on the corpus dumps', () => {
  test('mini.dmp: every thread, every frame', async () => {
    const dir = corpusPath(SYMBOLIC);
    const s = await processMinidump(path.join(dir, 'mini.dmp'), { searchPath: dir });
    expect(s.crash).toMatchObject({ type: 'EXCEPTION_ACCESS_VIOLATION_WRITE', address: 0x45n, threadId: 1636 });
    expect(s.crashingThread).toBe(0);
    expect(s.system).toMatchObject({ os: 'Windows NT', osVersion: '10.0.14393', cpuArch: 'x86', cpuCount: 2 });
    expect(s.threads.map((t) => [t.id, t.frames.map(line)])).toEqual([
      [
        1636,
        [
          'crash.exe!main [main.cpp : 35 + 0x0] (context) inlines: ?A0xc3a0617d::crash@24 < ?A0xc3a0617d::start@28',
          'crash.exe!__scrt_common_main_seh [exe_common.inl : 283 + 0x1c] (cfi) inlines: invoke_main@78',
          'kernel32.dll + 0x162c4 (cfi)',
          'ntdll.dll + 0x60f79 (frame_pointer)',
          'ntdll.dll + 0x60f44 (frame_pointer)',
        ],
      ],
      [3580, ['ntdll.dll + 0x7016c (context)', 'kernel32.dll + 0x162c4 (frame_pointer)', 'ntdll.dll + 0x60f79 (frame_pointer)', 'ntdll.dll + 0x60f44 (frame_pointer)']],
      [2600, ['ntdll.dll + 0x7016c (context)', 'kernel32.dll + 0x162c4 (frame_pointer)', 'ntdll.dll + 0x60f79 (frame_pointer)', 'ntdll.dll + 0x60f44 (frame_pointer)']],
      // Breakpad stops after frame 0 here; we scan one word further and take a KERNELBASE
      // address (no code bytes in the dump to check the call before it: trust "scan").
      [2920, ['ntdll.dll + 0x6f3dc (context)', 'KERNELBASE.dll + 0xc5dc0 (scan)']],
    ]);
    const crashExe = s.modules.find((m) => m.filename === 'crash.exe')!;
    expect(crashExe.status).toMatchObject({ kind: 'loaded', source: 'pdb' });
    expect(s.modules.filter((m) => m.status.kind === 'symbols-missing').length).toBe(s.modules.length - 1);
  });

  test('minidump2.dmp: the frames of minidump2.stackwalk.out', async () => {
    const dir = corpusPath(BREAKPAD);
    const expected = fs.readFileSync(path.join(dir, 'minidump2.stackwalk.out'), 'utf8');
    const thread0 = expected.slice(expected.indexOf('Thread 0'), expected.indexOf('Loaded modules'));
    const eips = [...thread0.matchAll(/eip = (0x[0-9a-f]+)/g)].map((m) => BigInt(m[1]));
    const modulesOf = [...thread0.matchAll(/^ *\d+ {2}([^!\s]+)/gm)].map((m) => m[1]);
    const s = await processMinidump(path.join(dir, 'minidump2.dmp'), { searchPath: '' });
    expect(s.crash).toMatchObject({ type: 'EXCEPTION_ACCESS_VIOLATION_WRITE', address: 0x45n });
    const frames = s.threads[s.crashingThread!].frames;
    expect(frames.map((f) => f.instruction)).toEqual(eips);
    expect(frames.map((f) => f.module?.filename)).toEqual(modulesOf);
    expect(formatText(s)).toContain(' 0  test_app.exe + 0x429e');
  });

  test("minidump2.dmp with Breakpad's testdata/symbols (.sym files): the functions, files, lines and trust of minidump2.stackwalk.out", async () => {
    const dir = corpusPath(BREAKPAD);
    const expected = fs.readFileSync(path.join(dir, 'minidump2.stackwalk.out'), 'utf8');
    const thread0 = expected.slice(expected.indexOf('Thread 0'), expected.indexOf('Loaded modules'));
    const want = [...thread0.matchAll(/^ *\d+ {2}(.+)$/gm)].map((m) => m[1]);
    const s = await processMinidump(path.join(dir, 'minidump2.dmp'), { searchPath: path.join(dir, 'symbols') });
    const text = formatText(s);
    const got = [...text.slice(text.indexOf('Thread 0'), text.indexOf('Thread 0') + 4000).matchAll(/^ *\d+ {2}(.+)$/gm)].map((m) => m[1]).slice(0, want.length);
    expect(got).toEqual(want);
    // How each frame was found: the .sym files' STACK WIN records, as Breakpad.
    const found = (t: string) => [...t.matchAll(/Found by: (.+)$/gm)].map((m) => m[1]);
    expect(found(text.slice(text.indexOf('Thread 0'))).slice(0, want.length)).toEqual(found(thread0));
    const app = s.modules.find((m) => m.filename === 'test_app.exe')!;
    expect(app.status).toMatchObject({ kind: 'loaded', source: 'breakpad' });
    expect(s.modules.find((m) => m.filename === 'kernel32.dll')!.status).toMatchObject({ kind: 'loaded', source: 'breakpad' });
  });

  // Breakpad's minidump_stackwalk (npm minidump@0.26.0) on each dump: Crash reason / Crash address.
  const dumps: [string, string | undefined, bigint | undefined][] = [
    ['rust-minidump_rust-minidump/testdata/test.dmp', 'EXCEPTION_ACCESS_VIOLATION_WRITE', 0x45n],
    [`${BREAKPAD}/write_av_non_canonical.dmp`, 'EXCEPTION_ACCESS_VIOLATION_READ', 0xffffffffffffffffn],
    [`${BREAKPAD}/null_read_av.dmp`, 'EXCEPTION_ACCESS_VIOLATION_READ', 0n],
    [`${BREAKPAD}/minidump2.dmp`, 'EXCEPTION_ACCESS_VIOLATION_WRITE', 0x45n],
    [`${BREAKPAD}/tiny-exe-with-cet-xsave-x86.dmp`, undefined, undefined],
    [`${BREAKPAD}/tiny-exe-fastfail.dmp`, 'FAST_FAIL_FATAL_APP_EXIT', 0x7ff75355af42n],
    [`${BREAKPAD}/tiny-exe-with-cet-xsave.dmp`, undefined, undefined],
    [`${BREAKPAD}/thread_name_list.dmp`, 'EXCEPTION_ACCESS_VIOLATION_READ', 0xf1004n],
    [`${BREAKPAD}/stack_exhaustion.dmp`, 'EXCEPTION_STACK_OVERFLOW', 0xdea637n],
    [`${SYMBOLIC}/mini.dmp`, 'EXCEPTION_ACCESS_VIOLATION_WRITE', 0x45n],
  ];
  test.each(dumps)("%s walks, with Breakpad's crash reason", async (rel, type, address) => {
    const s = await processMinidump(corpusPath(rel), { searchPath: '' });
    expect(s.crash?.type).toBe(type);
    expect(s.crash?.address).toBe(address);
    expect(s.threads.length).toBeGreaterThan(0);
    for (const t of s.threads) if (!t.truncated) expect(t.frames.length).toBeGreaterThan(0);
    expect(formatText(s)).toMatch(/^Operating system: Windows NT/);
  });
});
