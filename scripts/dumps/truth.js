#!/usr/bin/env node
// Makes <scenario>.truth.json for each dump of test/fixtures/dumps (called by its build.sh):
//   node scripts/dumps/truth.js DIR SCENARIO...
// From each DIR/<scenario>.dmp it reads the program's own record (the CommentStreamA JSON that
// src/dumper.c wrote at the crash), checks it against the dump itself (exception thread and
// context, thread list and contexts, module list, each return address stored in the dumped
// stack where the frame says), checks the RtlCaptureStackBackTrace taken before the crash
// against the unwind, names every frame of the image with llvm-symbolizer-19 (inline frames
// too; return addresses looked up at pc-1) and compares the chain with src/expected.json.
// Any difference is an error (exit 1): the truth files are written only when all hold.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const IMAGE = 'crashes-x64.exe';
const SYMBOLIZER = process.env.LLVM_SYMBOLIZER || 'llvm-symbolizer-19';

function fail(msg) {
  console.error(`truth.js: ${msg}`);
  process.exit(1);
}

// ---- the few minidump structures the checks need (MINIDUMP_HEADER, _DIRECTORY, ...) ----
function readDump(file) {
  const b = fs.readFileSync(file);
  const at = (off, n, what) => {
    if (off < 0 || off + n > b.length) fail(`${file}: ${what} at ${off} runs past the end (${b.length})`);
    return off;
  };
  if (b.toString('latin1', 0, 4) !== 'MDMP') fail(`${file}: not a minidump`);
  const count = b.readUInt32LE(at(8, 4, 'NumberOfStreams'));
  const dirRva = b.readUInt32LE(at(12, 4, 'StreamDirectoryRva'));
  const streams = new Map();
  for (let i = 0; i < count; i++) {
    const o = at(dirRva + 12 * i, 12, 'MINIDUMP_DIRECTORY');
    const type = b.readUInt32LE(o);
    if (type !== 0) streams.set(type, { size: b.readUInt32LE(o + 4), rva: b.readUInt32LE(o + 8) });
  }
  const stream = (type) => streams.get(type) || fail(`${file}: no stream of type ${type}`);
  const ctx = (size, rva) => {
    at(rva, Math.max(size, 0x100), 'CONTEXT');
    return { rip: b.readBigUInt64LE(rva + 0xf8), rsp: b.readBigUInt64LE(rva + 0x98) };
  };
  const comment = stream(10);
  const truth = JSON.parse(b.toString('latin1', at(comment.rva, comment.size, 'comment'), comment.rva + comment.size));

  const ex = stream(6);
  at(ex.rva, 168, 'MINIDUMP_EXCEPTION_STREAM');
  const exception = {
    threadId: b.readUInt32LE(ex.rva),
    code: b.readUInt32LE(ex.rva + 8),
    address: b.readBigUInt64LE(ex.rva + 24),
    context: ctx(b.readUInt32LE(ex.rva + 160), b.readUInt32LE(ex.rva + 164)),
  };

  const tl = stream(3);
  const threads = [];
  for (let i = 0, n = b.readUInt32LE(at(tl.rva, 4, 'thread count')); i < n; i++) {
    const o = at(tl.rva + 4 + 48 * i, 48, 'MINIDUMP_THREAD');
    threads.push({
      id: b.readUInt32LE(o),
      stack: { start: b.readBigUInt64LE(o + 24), size: b.readUInt32LE(o + 32), rva: b.readUInt32LE(o + 36) },
      context: ctx(b.readUInt32LE(o + 40), b.readUInt32LE(o + 44)),
    });
  }

  const ml = stream(4);
  const modules = [];
  for (let i = 0, n = b.readUInt32LE(at(ml.rva, 4, 'module count')); i < n; i++) {
    const o = at(ml.rva + 4 + 108 * i, 108, 'MINIDUMP_MODULE');
    const nameRva = b.readUInt32LE(o + 20);
    const len = b.readUInt32LE(at(nameRva, 4, 'MINIDUMP_STRING'));
    const full = b.toString('utf16le', at(nameRva + 4, len, 'module name'), nameRva + 4 + len);
    modules.push({
      base: b.readBigUInt64LE(o),
      size: b.readUInt32LE(o + 8),
      name: full.split(/[\\/]/).pop().toLowerCase(),
    });
  }
  // a u64 read from a thread's dumped stack, or undefined
  const stackRead = (thread, addr) => {
    const off = addr - thread.stack.start;
    if (off < 0n || off + 8n > BigInt(thread.stack.size)) return undefined;
    return b.readBigUInt64LE(at(thread.stack.rva + Number(off), 8, 'stack'));
  };
  const sizes = [...streams].map(([type, s]) => `${type}:${s.size}`).join(' ');
  return { truth, exception, threads, modules, stackRead, sizes, bytes: b.length };
}

// ---- names from the image's PDB, through llvm-symbolizer ----
function symbolize(exe, vas) {
  if (vas.length === 0) return [];
  const out = execFileSync(SYMBOLIZER, [`--obj=${exe}`, '--inlines', '--output-style=JSON'], {
    input: vas.map((v) => `0x${v.toString(16)}`).join('\n') + '\n',
    encoding: 'utf8',
  });
  return out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l).Symbol);
}

const hex = (s) => BigInt(s);

// JSON with one frame (or module) per line: an object or array is spread over lines only when
// it holds arrays of objects.
function pretty(v, indent) {
  const nested = (x) => x && typeof x === 'object' && Object.values(x).some((y) => Array.isArray(y) && y.some((z) => z && typeof z === 'object'));
  const inner = indent + ' ';
  if (Array.isArray(v) && v.some((z) => z && typeof z === 'object')) {
    return `[\n${v.map((x) => inner + pretty(x, inner)).join(',\n')}\n${indent}]`;
  }
  if (v && typeof v === 'object' && !Array.isArray(v) && (nested(v) || indent === '')) {
    return `{\n${Object.entries(v)
      .map(([k, x]) => `${inner}${JSON.stringify(k)}: ${pretty(x, inner)}`)
      .join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v);
}

function checkAgainstDump(name, d) {
  const t = d.truth;
  const [crash, waiter] = t.threads;
  const where = `${name}.dmp`;
  const eq = (a, b, what) => {
    if (a !== b) fail(`${where}: ${what}: dump has ${a}, the program recorded ${b}`);
  };
  eq(d.exception.threadId, crash.id, 'exception thread');
  eq(`0x${d.exception.code.toString(16)}`, t.exception.code, 'exception code');
  eq(d.exception.address, hex(t.exception.address), 'exception address');
  eq(d.exception.context.rip, hex(crash.frames[0].pc), 'exception context rip');
  eq(d.exception.context.rsp, hex(crash.frames[0].sp), 'exception context rsp');
  const w = d.threads.find((x) => x.id === waiter.id) || fail(`${where}: no thread ${waiter.id}`);
  eq(w.context.rip, hex(waiter.frames[0].pc), 'waiter context rip');
  eq(w.context.rsp, hex(waiter.frames[0].sp), 'waiter context rsp');
  const c = d.threads.find((x) => x.id === crash.id) || fail(`${where}: no thread ${crash.id}`);
  for (const m of t.modules) {
    const dm = d.modules.find((x) => x.base === hex(m.base));
    if (!dm || dm.size !== Number(hex(m.size)) || dm.name !== m.name) fail(`${where}: module ${m.name} at ${m.base} not in the module list`);
  }
  // each caller's return address is where a walker will find it: at the callee's sp - 8
  for (const [th, frames] of [
    [c, crash.frames],
    [w, waiter.frames],
  ]) {
    for (let i = 1; i < frames.length; i++) {
      const v = d.stackRead(th, hex(frames[i].sp) - 8n);
      if (v !== hex(frames[i].pc)) fail(`${where}: thread ${th.id} frame ${i}: [sp-8] is ${v}, not ${frames[i].pc}`);
    }
  }
}

// precrash (RtlCaptureStackBackTrace in the faulting function or in its caller; Wine's trace
// starts inside precrash_capture itself) must end with the same return addresses as the unwind
// from the fault. The capture's return address may be the faulting pc itself (the fault being
// the instruction right after the call).
function checkPrecrash(name, crash, pre, fnOf) {
  if (!pre.length || fnOf(pre[0]) !== 'precrash_capture') fail(`${name}: precrash does not start in precrash_capture`);
  for (let j = 1; j < pre.length; j++) {
    const i = crash.findIndex((f) => f.pc === pre[j].pc);
    if (i < 0) continue;
    const tail = crash.slice(i).map((f) => f.pc);
    const ptail = pre.slice(j).map((f) => f.pc);
    if (tail.join() !== ptail.join()) fail(`${name}: precrash ${ptail} differs from the unwind ${tail}`);
    if (i > 0 && j > 1 && fnOf(pre[j - 1]) !== fnOf(crash[i - 1])) fail(`${name}: precrash frame ${j - 1} is not in the function of unwind frame ${i - 1}`);
    if (i > 0 && j === 1) fail(`${name}: the unwind has frames the precrash trace lacks`);
    return;
  }
  fail(`${name}: the precrash trace shares no return address with the unwind`);
}

function main() {
  const [dir, ...scenarios] = process.argv.slice(2);
  if (!dir || scenarios.length === 0) fail('usage: truth.js DIR SCENARIO...');
  const exe = path.join(dir, 'bin', IMAGE);
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'src', 'expected.json'), 'utf8'));
  const results = [];
  for (const name of scenarios) {
    const d = readDump(path.join(dir, `${name}.dmp`));
    const t = d.truth;
    if (t.format !== 'dumpfix-truth/1' || t.scenario !== name) fail(`${name}.dmp: comment is not this scenario's truth`);
    checkAgainstDump(name, d);
    const modules = [];
    for (const m of t.modules) if (!modules.some((x) => x.base === m.base)) modules.push(m);
    if (!modules.some((m) => m.name === IMAGE)) fail(`${name}: ${IMAGE} not among the modules`);

    // name every frame in the image: frame 0 at its pc, callers at pc - 1 (inside the call)
    const frames = [];
    for (const th of t.threads) th.frames.forEach((f, i) => frames.push({ f, lookup: i === 0 ? 0n : 1n }));
    t.precrash.forEach((f) => frames.push({ f, lookup: 1n }));
    const mine = frames.filter(({ f }) => f.module === IMAGE);
    const syms = symbolize(
      exe,
      mine.map(({ f, lookup }) => hex(f.pc) - lookup),
    );
    mine.forEach(({ f, lookup }, k) => {
      const s = syms[k];
      if (!s.length || !s[0].FunctionName) fail(`${name}: no function at ${f.pc}`);
      f.lookupRva = `0x${(hex(f.rva) - lookup).toString(16)}`;
      f.function = s[s.length - 1].FunctionName;
      f.inlines = s.slice(0, -1).map((x) => x.FunctionName);
      f.file = s[0].FileName.split('\\').pop();
      f.line = s[0].Line;
    });
    checkPrecrash(name, t.threads[0].frames, t.precrash, (f) => f.function || f.module);

    // the chains against src/expected.json: "fn", "inner < outer < fn" (inline frames), "x.dll"
    const show = (f) => (f.module === IMAGE ? [...f.inlines, f.function].join(' < ') : f.module);
    for (const th of t.threads) {
      const want = th.role === 'waiter' ? expected.waiter : (expected[name] || fail(`${name}: not in expected.json`)).crashing;
      const got = th.frames.map(show);
      if (got.join('\n') !== want.join('\n')) fail(`${name}: ${th.role} chain\n  got      ${got.join(' | ')}\n  expected ${want.join(' | ')}`);
    }
    const out = {
      format: 'dumpfix-truth/1',
      scenario: name,
      dump: `${name}.dmp`,
      image: `bin/${IMAGE}`,
      pdb: 'bin/crashes-x64.pdb',
      about:
        'Frames as unwound in the live process (RtlVirtualUnwind) at the crash, innermost first; ' +
        'frame 0 of the crashing thread is the faulting instruction. function/inlines/file/line ' +
        '(image frames only) are llvm-symbolizer-19 on the PDB at lookupRva (rva, minus 1 for return addresses); ' +
        'inlines innermost first, function the physical one. ids and pid change on every run.',
      pid: t.pid,
      exception: t.exception,
      modules,
      threads: t.threads,
      precrash: t.precrash,
    };
    fs.writeFileSync(path.join(dir, `${name}.truth.json`), pretty(out, '') + '\n');
    results.push(`${name}: ${d.bytes} bytes, streams ${d.sizes}; ${t.threads.map((x) => x.frames.length).join('+')} frames`);
  }
  console.log(results.join('\n'));
}

main();
