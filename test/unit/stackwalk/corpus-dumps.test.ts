/**
 * Real crashes. Sentry's mini.dmp (x86, crash.exe) walked with crash.pdb's frame data; and
 * breakpad's minidump2.dmp (x86, Windows XP) walked with the frame data of
 * breakpad's DIA-made .sym files for test_app.exe and kernel32.dll (STACK WIN lines turned into
 * X86FrameInfo), against breakpad's own minidump_stackwalk output (minidump2.stackwalk.out).
 */
import * as fs from 'fs';
import { SymbolHandler } from '../../../lib';
import { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { pdbX86FrameInfo, walkStack, WalkModule, X86FrameInfo } from '../../../lib/stackwalk';
import { mapImage } from './pe-module';
import { corpusPath, describeCorpus } from '../../helpers/corpus';
import { readLiteDump, x86Context } from './minidump-lite';

/** STACK WIN lines as X86FrameInfo, looked up like pdbX86FrameTables (innermost block, FRAMEDATA first). */
function symFrameInfo(sym: string): (rva: number) => X86FrameInfo | undefined {
  const rows = fs
    .readFileSync(sym, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('STACK WIN '))
    .map((l): X86FrameInfo => {
      const f = l.split(' ');
      const n = (i: number) => parseInt(f[i], 16);
      const type = n(2);
      const hasProgram = f[11] === '1';
      return {
        kind: type === 4 ? 'framedata' : 'fpo',
        fpoFrameType: type === 4 ? undefined : type,
        rvaStart: n(3),
        codeSize: n(4),
        prologSize: n(5),
        paramsSize: n(7),
        savedRegsSize: n(8),
        localsSize: n(9),
        maxStackSize: n(10),
        program: hasProgram ? f.slice(12).join(' ') : undefined,
        allocatesBasePointer: !hasProgram && f[12] === '1',
      };
    });
  return (rva) => {
    let best: X86FrameInfo | undefined;
    for (const r of rows) {
      if (rva < r.rvaStart || rva >= r.rvaStart + r.codeSize) continue;
      const better = !best || (r.kind === 'framedata' && best.kind !== 'framedata') || (r.kind === best.kind && r.rvaStart > best.rvaStart);
      if (better) best = r;
    }
    return best;
  };
}

describeCorpus('breakpad minidump2.dmp (x86)', () => {
  test('the crashed thread walks as minidump_stackwalk printed it', () => {
    const dump = readLiteDump(new Uint8Array(fs.readFileSync(corpusPath('google_breakpad/src/processor/testdata/minidump2.dmp'))));
    const syms: Record<string, string> = {
      'test_app.exe': 'google_breakpad/src/processor/testdata/symbols/test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym',
      'kernel32.dll': 'google_breakpad/src/processor/testdata/symbols/kernel32.pdb/BCE8785C57B44245A669896B6A19B9542/kernel32.sym',
    };
    const modules: WalkModule[] = dump.modules.map((m) => ({
      name: m.name,
      base: m.base,
      size: m.size,
      readRva: (rva, size) => dump.memory.read(m.base + BigInt(rva), size),
      ...(syms[m.name] ? { x86FrameInfo: symFrameInfo(corpusPath(syms[m.name])) } : {}),
    }));
    const context = x86Context(dump.exceptionContext!);
    expect(context.get('eip')).toBe(0x0040429en);
    const r = walkStack({ arch: 'x86', context, memory: dump.memory, moduleAt: (a) => modules.find((m) => a >= m.base && a < m.base + BigInt(m.size)) });
    const got = r.frames.map((f) => [f.module?.name, f.instruction, f.registers.get('esp'), f.registers.get('ebp'), f.trust]);
    expect(got.slice(0, 4)).toEqual([
      ['test_app.exe', 0x0040429en, 0x0012fe84n, 0x0012fe88n, 'context'],
      ['test_app.exe', 0x00404200n, 0x0012fe90n, 0x0012ff70n, 'cfi'],
      ['test_app.exe', 0x004053ecn, 0x0012ff78n, 0x0012ffc0n, 'cfi'],
      ['kernel32.dll', 0x7c816fd7n, 0x0012ffc8n, 0x0012fff0n, 'cfi'],
    ]);
    // minidump_stackwalk stops there (kernel32's frame data unwinds to a return address of 0).
    expect(r.frames.length).toBe(4);
    expect(r.truncated).toBeUndefined();
  });
});

describeCorpus('sentry mini.dmp (x86, crash.exe + crash.pdb)', () => {
  const dir = 'getsentry_symbolic/symbolic-testutils/fixtures/windows/';
  test('main, __scrt_common_main_seh, then the thread start in kernel32 and ntdll', async () => {
    const dump = readLiteDump(new Uint8Array(fs.readFileSync(corpusPath(`${dir}mini.dmp`))));
    const pdb = PdbFile.open(corpusPath(`${dir}crash.pdb`));
    const sym = SymbolHandler.initialize({});
    try {
      const exeBase = dump.modules.find((m) => m.name === 'crash.exe')!.base;
      const exe = mapImage(corpusPath(`${dir}crash.exe`), exeBase);
      // crash.exe from its file (with the PDB's frame data); the system DLLs only as the dump holds them.
      const modules: WalkModule[] = dump.modules.map((m) =>
        m.name === 'crash.exe'
          ? { ...exe.module, x86FrameInfo: pdbX86FrameInfo(pdb) }
          : { name: m.name, base: m.base, size: m.size, readRva: (rva: number, size: number) => dump.memory.read(m.base + BigInt(rva), size) },
      );
      const r = walkStack({ arch: 'x86', context: x86Context(dump.exceptionContext!), memory: dump.memory, moduleAt: (a) => modules.find((m) => a >= m.base && a < m.base + BigInt(m.size)) });
      await sym.loadModule(corpusPath(`${dir}crash.exe`), { baseAddress: exeBase, pdbPath: corpusPath(`${dir}crash.pdb`) });
      const rows = r.frames.map((f, i) => [f.module?.name, f.instruction, f.trust, f.module?.name === 'crash.exe' ? sym.fromAddr(i ? f.instruction - 1n : f.instruction)?.symbol.name : undefined]);
      expect(rows).toEqual([
        ['crash.exe', 0x2a2a3dn, 'context', 'main'],
        ['crash.exe', 0x2a2d97n, 'cfi', '__scrt_common_main_seh'],
        // Found from crash.exe's frame data; kernel32 and ntdll have no symbols here: their
        // frames come from the EBP chain, which ends with a return address of 0.
        ['kernel32.dll', 0x750662c4n, 'cfi', undefined],
        ['ntdll.dll', 0x771d0f79n, 'frame_pointer', undefined],
        ['ntdll.dll', 0x771d0f44n, 'frame_pointer', undefined],
      ]);
      expect(r.truncated).toBeUndefined();
    } finally {
      sym.cleanup();
      pdb.close();
    }
  });
});
