/**
 * Our .pdata/.xdata parsers against llvm-readobj-19 --unwind, entry by entry, on the fixture
 * images (x64 and ARM64) and every x64 PE of the corpus. Each entry is rendered in readobj's
 * notation from our parse and compared with the lines readobj printed.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { Arm64UnwindOp } from '../../../lib/formats/pe/arm64-unwind-code';
import { arm64OpsAt, arm64UnwindInfoSize, readArm64UnwindInfo } from '../../../lib/formats/pe/arm64-unwind-info';
import { UnwindOp, X64_REGISTER_NAMES } from '../../../lib/formats/pe/unwind-code';
import { packedOps, readUnwindInfoAt } from '../../../lib/stackwalk/internal';
import { moduleUnwind } from '../../../lib/stackwalk/module-unwind';
import { corpusPath, describeCorpus, manifest } from '../../helpers/corpus';
import { FIXTURES, mapImage } from './pe-module';

const READOBJ = 'llvm-readobj-19';
const haveReadobj = (() => {
  try {
    execFileSync(READOBJ, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const describeReadobj = haveReadobj ? describe : (n: string, _f: () => void) => describe(n, () => test.skip(`did not run: ${READOBJ} not installed`, () => {}));

const hex = (n: number | bigint) => `0x${n.toString(16).toUpperCase()}`;
const X64_OPS = ['PUSH_NONVOL', 'ALLOC_LARGE', 'ALLOC_SMALL', 'SET_FPREG', 'SAVE_NONVOL', 'SAVE_NONVOL_FAR', 'EPILOG', 'SPARE', 'SAVE_XMM128', 'SAVE_XMM128_FAR', 'PUSH_MACHFRAME'];

function renderX64Code(c: UnwindOp, frameReg: number, frameOffset: number): string {
  const r = X64_REGISTER_NAMES[c.info].toUpperCase();
  const name = X64_OPS[c.op];
  const head = `${hex(c.codeOffset).replace(/^0x(.)$/, '0x0$1')}: ${name}`;
  switch (name) {
    case 'PUSH_NONVOL':
      return `${head} reg=${r}`;
    case 'ALLOC_LARGE':
    case 'ALLOC_SMALL':
      return `${head} size=${c.value}`;
    case 'SET_FPREG':
      return `${head} reg=${X64_REGISTER_NAMES[frameReg].toUpperCase()}, offset=${hex(frameOffset)}`;
    case 'SAVE_NONVOL':
    case 'SAVE_NONVOL_FAR':
      return `${head} reg=${r}, offset=${hex(c.value)}`;
    case 'SAVE_XMM128':
    case 'SAVE_XMM128_FAR':
      return `${head} reg=XMM${c.info}, offset=${hex(c.value)}`;
    case 'PUSH_MACHFRAME':
      return `${head} errcode=${c.info ? 'yes' : 'no'}`;
    default:
      return head;
  }
}

/** readobj's x64 output reduced to the lines we compare, one string per RuntimeFunction. */
function readobjX64(text: string): string[] {
  const out: string[] = [];
  let cur: string[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === 'RuntimeFunction {') {
      cur = [];
      out.push('');
      continue;
    }
    if (!cur) continue;
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^(StartAddress|EndAddress|UnwindInfoAddress): .*\((0x[0-9A-F]+)\)$/))) cur.push(`${m[1]} ${m[2]}`);
    else if ((m = line.match(/^Version: (\d+)/))) cur.push(`Version ${m[1]}`);
    else if ((m = line.match(/^Flags \[ \((0x[0-9A-F]+)\)/))) cur.push(`Flags ${m[1]}`);
    else if ((m = line.match(/^(PrologSize|UnwindCodeCount): (\d+)/))) cur.push(`${m[1]} ${m[2]}`);
    else if ((m = line.match(/^FrameRegister: (\S+)/))) cur.push(`FrameRegister ${m[1]}`);
    else if ((m = line.match(/^FrameOffset: (\S+)/))) cur.push(`FrameOffset ${m[1]}`);
    else if (/^0x[0-9A-F]+: /.test(line)) cur.push(line);
    else if (line === 'Chained {') cur.push('Chained');
    out[out.length - 1] = cur.join('\n');
  }
  return out;
}

function oursX64(file: string): string[] {
  const { module, pe } = mapImage(file);
  const table = moduleUnwind(module).x64!;
  const base = pe.imageBase;
  const out: string[] = [];
  for (let i = 0; i < table.count; i++) {
    const f = table.at(i);
    const lines = [`StartAddress ${hex(base + BigInt(f.begin))}`, `EndAddress ${hex(base + BigInt(f.end))}`, `UnwindInfoAddress ${hex(base + BigInt(f.unwindInfo))}`];
    const info = readUnwindInfoAt(module, f.unwindInfo);
    lines.push(`Version ${info.version}`, `Flags ${hex(info.flags)}`, `PrologSize ${info.sizeOfProlog}`);
    lines.push(`FrameRegister ${info.frameRegister ? X64_REGISTER_NAMES[info.frameRegister].toUpperCase() : '-'}`, `FrameOffset ${info.frameRegister ? hex(info.frameOffset / 16) : '-'}`);
    lines.push(`UnwindCodeCount ${info.codes.reduce((n, c) => n + c.slots, 0)}`);
    for (const c of info.codes) lines.push(renderX64Code(c, info.frameRegister, info.frameOffset));
    if (info.chained) {
      const c = info.chained;
      lines.push('Chained', `StartAddress ${hex(base + BigInt(c.begin))}`, `EndAddress ${hex(base + BigInt(c.end))}`, `UnwindInfoAddress ${hex(base + BigInt(c.unwindInfo))}`);
    }
    out.push(lines.join('\n'));
  }
  return out;
}

/**
 * readobj prints the whole .pdata section; the unwinder (ours, like RtlLookupFunctionEntry) reads
 * the exception directory's Size bytes, so readobj may print more entries (cfi_chained_loop.exe,
 * pe_only_symbol_test.dll). llvm-readobj-19 crashes part way on some corpus images: the entries
 * it printed in full are compared.
 */
function compareX64(file: string): number {
  let text: string;
  let crashed = false;
  try {
    text = execFileSync(READOBJ, ['--unwind', file], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    text = String((e as { stdout?: string }).stdout ?? '');
    crashed = true;
  }
  let expected = readobjX64(text);
  if (crashed) expected = expected.slice(0, -1);
  const ours = oursX64(file);
  const n = crashed ? Math.min(ours.length, expected.length) : ours.length;
  if (!crashed) expect(expected.length).toBeGreaterThanOrEqual(ours.length);
  for (let i = 0; i < n; i++) expect(`#${i}\n${ours[i]}`).toBe(`#${i}\n${expected[i]}`);
  return n;
}

describeReadobj('x64 .pdata/.xdata vs llvm-readobj (fixtures)', () => {
  const files = fs.readdirSync(FIXTURES).filter((f) => /-x64\.(exe|dll)$/.test(f));
  test.each(files)('%s', (f) => {
    expect(compareX64(path.join(FIXTURES, f))).toBeGreaterThan(0);
  });
});

describeCorpus('x64 .pdata/.xdata vs llvm-readobj (corpus)', () => {
  const files = manifest()
    .filter((m) => m.kind === 'pe' && /x64|amd64/i.test(m.arch) && !m.local_path.startsWith('derived/'))
    .map((m) => m.local_path);
  if (!haveReadobj) {
    test.skip(`did not run: ${READOBJ} not installed`, () => {});
    return;
  }
  test.each(files)('%s', (f) => {
    expect(compareX64(corpusPath(f))).toBeGreaterThan(0);
  });
});

/**
 * Our ARM64 unwind ops in readobj's notation: packed prologs print `x29`/`lr` and `sub sp, sp,
 * #n`; unpacked prologs `x29`/`x30`, `sub sp, #n`, `save next`; epilogs the loads that undo them.
 */
function renderArm64(op: Arm64UnwindOp, mode: 'packed' | 'prolog' | 'epilog'): string {
  const name = (r: string) => (r === 'fp' ? 'x29' : r === 'lr' ? (mode === 'packed' ? 'lr' : 'x30') : r);
  const epi = mode === 'epilog';
  switch (op.kind) {
    case 'alloc':
      return mode === 'packed' ? `sub sp, sp, #${op.size}` : `${epi ? 'add' : 'sub'} sp, #${op.size}`;
    case 'save': {
      if (op.pairNext) return epi ? 'restore next' : 'save next';
      const mn = epi ? (op.regs.length === 2 ? 'ldp' : 'ldr') : op.regs.length === 2 ? 'stp' : 'str';
      const regs = op.regs.map(name).join(', ');
      if (op.writeback) return epi ? `${mn} ${regs}, [sp], #${op.writeback}` : `${mn} ${regs}, [sp, #-${op.writeback}]!`;
      return `${mn} ${regs}, [sp, #${op.offset}]`;
    }
    case 'set_fp':
      return mode === 'packed' ? 'mov x29, sp' : epi ? 'mov sp, fp' : 'mov fp, sp';
    case 'add_fp':
      return epi ? `sub sp, fp, #${op.offset}` : `add fp, sp, #${op.offset}`;
    case 'end':
      return op.chained ? 'end_c' : 'end';
    case 'nop':
      return op.what === 'pac_sign_lr' || op.what === 'pacibsp' ? (epi ? 'autibsp' : 'pacibsp') : op.what === 'clear_unwound_to_call' ? 'clear unwound to call' : op.what;
    default:
      return op.kind;
  }
}

function readobjArm64(text: string): string[] {
  const out: string[] = [];
  let cur: string[] | undefined;
  let inList = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === 'RuntimeFunction {') {
      cur = [];
      out.push('');
      continue;
    }
    if (!cur) continue;
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^Function: (0x[0-9A-F]+)/i))) cur.push(`Function ${m[1].toUpperCase().replace('0X', '0x')}`);
    else if ((m = line.match(/^(FunctionLength|RegF|RegI|CR|FrameSize|StartOffset|EpilogueStartIndex|EpilogueOffset): (\d+)/))) cur.push(`${m[1]} ${m[2]}`);
    else if ((m = line.match(/^(HomedParameters|Fragment|EpiloguePacked|ExceptionData): (\w+)/))) cur.push(`${m[1]} ${m[2]}`);
    else if (line === 'Prologue [' || line === 'Opcodes [') {
      inList = true;
      cur.push(line.replace(' [', ''));
    } else if (line === ']') inList = false;
    else if (inList) cur.push(line.replace(/^0x[0-9a-f]+\s+; /, ''));
    out[out.length - 1] = cur.join('\n');
  }
  return out;
}

function oursArm64(file: string): string[] {
  const { module, pe } = mapImage(file);
  const table = moduleUnwind(module).arm64!;
  const out: string[] = [];
  for (let i = 0; i < table.count; i++) {
    const f = table.at(i);
    const lines = [`Function ${hex(pe.imageBase + BigInt(f.begin))}`];
    if (f.packed) {
      const p = f.packed;
      lines.push(
        `Fragment ${p.fragment ? 'Yes' : 'No'}`,
        `FunctionLength ${p.functionLength}`,
        `RegF ${p.regF}`,
        `RegI ${p.regI}`,
        `HomedParameters ${p.homesParameters ? 'Yes' : 'No'}`,
        `CR ${p.cr}`,
        `FrameSize ${p.frameSize}`,
      );
      lines.push('Prologue', ...packedOps(p).prolog.map((o) => renderArm64(o, 'packed')), 'end');
    } else {
      const head = module.readRva(f.xdata!, 8)!;
      const bytes = module.readRva(f.xdata!, arm64UnwindInfoSize(Cursor.of(head, 'x')))!;
      const info = readArm64UnwindInfo(Cursor.of(bytes, 'x'));
      lines.push(`FunctionLength ${info.functionLength}`, `ExceptionData ${info.hasHandler ? 'Yes' : 'No'}`, `EpiloguePacked ${info.singleEpilogCodeIndex !== undefined ? 'Yes' : 'No'}`);
      if (info.singleEpilogCodeIndex !== undefined) lines.push(`EpilogueOffset ${info.singleEpilogCodeIndex}`);
      lines.push('Prologue', ...arm64OpsAt(info, 0).map((o) => renderArm64(o, 'prolog')));
      for (const e of info.epilogs) lines.push(`StartOffset ${e.start / 4}`, `EpilogueStartIndex ${e.codeIndex}`, 'Opcodes', ...arm64OpsAt(info, e.codeIndex).map((o) => renderArm64(o, 'epilog')));
    }
    out.push(lines.join('\n'));
  }
  return out;
}

function compareArm64(file: string): number {
  const expected = readobjArm64(execFileSync(READOBJ, ['--unwind', file], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  const ours = oursArm64(file);
  expect(ours.length).toBe(expected.length);
  for (let i = 0; i < ours.length; i++) expect(`#${i}\n${ours[i]}`).toBe(`#${i}\n${expected[i]}`);
  return ours.length;
}

describeReadobj('ARM64 .pdata/.xdata vs llvm-readobj (fixtures)', () => {
  const files = fs.readdirSync(FIXTURES).filter((f) => /-arm64\.(exe|dll)$/.test(f));
  test.each(files)('%s', (f) => {
    expect(compareArm64(path.join(FIXTURES, f))).toBeGreaterThan(0);
  });
});

describeCorpus('ARM64 .pdata/.xdata vs llvm-readobj (corpus)', () => {
  const files = manifest()
    .filter((m) => m.kind === 'pe' && /arm64/i.test(m.arch) && !m.local_path.startsWith('derived/'))
    .map((m) => m.local_path);
  if (!haveReadobj) {
    test.skip(`did not run: ${READOBJ} not installed`, () => {});
    return;
  }
  test.each(files)('%s', (f) => {
    expect(compareArm64(corpusPath(f))).toBeGreaterThan(0);
  });
});
