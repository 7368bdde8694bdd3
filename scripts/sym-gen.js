'use strict';
/**
 * A synthetic but valid Breakpad .sym file of any size, and what it answers at any address,
 * recomputed from the function's number (nothing is kept while writing, so a 1 GB file costs
 * no memory to describe):
 *   function i: FUNC at 0x1000 + i * STRIDE, 8-31 line records, one depth-0 INLINE (and a
 *   depth-1 INLINE in every third function), a STACK CFI INIT with 2 deltas (even i) or a
 *   STACK WIN 4 with a program string (odd i); a PUBLIC at its address (hidden by the FUNC)
 *   when i % 16 == 0 and one in the gap after it when i % 5 == 0.
 * Written as dump_syms orders records: MODULE, INFO, FILE, INLINE_ORIGIN, FUNC blocks, PUBLIC,
 * STACK CFI, STACK WIN.
 *
 *   generateSym(file, { bytes }) → { functions, bytes }     expected(rva, functions) → answer
 *   checkAnswer(breakpadSymbols, rva, functions) → differences (strings)
 * Used by scripts/sym-1gb.js (the long lane) and test/unit/breakpad/sym-gen.test.ts.
 */
const fs = require('fs');

const STRIDE = 0x400;
const BASE = 0x1000;
const FILES = 4000;
const ORIGINS = 20000;

/** A 32-bit hash of i (deterministic randomness per function). */
function hash(i) {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Everything about function i. */
function shape(i) {
  const h = hash(i);
  const addr = BASE + i * STRIDE;
  const size = 0x300 + (h % 0x100);
  const n = 8 + ((h >>> 8) % 24);
  const lines = [];
  const step = Math.floor(size / n);
  for (let j = 0; j < n; j++) {
    const a = addr + j * step;
    lines.push({ addr: a, size: j === n - 1 ? addr + size - a : step, line: 100 + ((h >>> 12) % 5000) + j * 2, file: (i * 7 + j) % FILES });
  }
  const inlines = [{ depth: 0, callLine: 10 + (h % 90), callFile: (i * 3) % FILES, origin: (i * 13) % ORIGINS, addr: addr + (size >> 2), size: size >> 2 }];
  if (i % 3 === 0) inlines.push({ depth: 1, callLine: 5 + (h % 7), callFile: (i * 5) % FILES, origin: (i * 17 + 1) % ORIGINS, addr: addr + (size >> 2) + 8, size: 0x20 });
  return {
    i,
    addr,
    size,
    params: (h % 4) * 4,
    multi: h % 29 === 0,
    name: `ns${i % 97}::Class${i % 1013}::method_${i}(int, char const*)`,
    lines,
    inlines,
    cfi:
      i % 2 === 0
        ? {
            deltas: [
              { addr: addr + 1, rules: '.cfa: $rsp 16 +' },
              { addr: addr + 4 + (h % 8), rules: `.cfa: $rsp ${32 + (h % 4) * 8} + $rbx: .cfa -24 + ^` },
            ],
          }
        : undefined,
    win: i % 2 === 1 ? { prologue: 3 + (h % 5), params: (h % 4) * 4, locals: 0x10 + (h % 0x40) } : undefined,
    publicInGap: i % 5 === 0 ? { addr: addr + size, name: `gap_label_${i}` } : undefined,
    publicAtStart: i % 16 === 0 ? `?method_${i}@Class${i % 1013}@ns${i % 97}@@QEAAXHPEBD@Z` : undefined,
  };
}

const hex = (n) => n.toString(16);
const fileName = (id) => `c:\\build\\src\\component_${id % 211}\\source_file_${id}.cpp`;
const originName = (id) => `inline_helpers::helper_${id}<int>(int)`;
const winProgram = (s) => `$T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + = $L $T0 .cbSavedRegs - = $P $T0 8 + .cbParams + =`;

function funcBlock(s) {
  let out = `FUNC ${s.multi ? 'm ' : ''}${hex(s.addr)} ${hex(s.size)} ${hex(s.params)} ${s.name}\n`;
  for (const n of s.inlines) out += `INLINE ${n.depth} ${n.callLine} ${n.callFile} ${n.origin} ${hex(n.addr)} ${hex(n.size)}\n`;
  for (const l of s.lines) out += `${hex(l.addr)} ${hex(l.size)} ${l.line} ${l.file}\n`;
  return out;
}

function publics(s) {
  let out = '';
  if (s.publicAtStart) out += `PUBLIC ${hex(s.addr)} ${hex(s.params)} ${s.publicAtStart}\n`;
  if (s.publicInGap) out += `PUBLIC ${hex(s.publicInGap.addr)} 0 ${s.publicInGap.name}\n`;
  return out;
}

function cfi(s) {
  if (!s.cfi) return '';
  let out = `STACK CFI INIT ${hex(s.addr)} ${hex(s.size)} .cfa: $rsp 8 + .ra: .cfa -8 + ^\n`;
  for (const d of s.cfi.deltas) out += `STACK CFI ${hex(d.addr)} ${d.rules}\n`;
  return out;
}

function win(s) {
  if (!s.win) return '';
  const w = s.win;
  return `STACK WIN 4 ${hex(s.addr)} ${hex(s.size)} ${hex(w.prologue)} 0 ${hex(w.params)} 8 ${hex(w.locals)} 0 1 ${winProgram(s)}\n`;
}

/** Writes the file; the number of functions is picked so that it has about `bytes` bytes. */
function generateSym(file, { bytes = 1 << 30 } = {}) {
  let head = 'MODULE windows x86_64 0123456789ABCDEF0123456789ABCDEF1 synthetic.pdb\nINFO CODE_ID 5C9E09599000 synthetic.dll\nINFO GENERATOR dbghelp sym-gen\n';
  for (let f = 0; f < FILES; f++) head += `FILE ${f} ${fileName(f)}\n`;
  for (let o = 0; o < ORIGINS; o++) head += `INLINE_ORIGIN ${o} ${originName(o)}\n`;
  // Bytes per function, estimated on 1000 functions spread over the range (names grow with i).
  const perFunction = (range) => {
    let n = 0;
    for (let k = 0; k < 1000; k++) {
      const s = shape(Math.floor((k * range) / 1000));
      n += funcBlock(s).length + publics(s).length + cfi(s).length + win(s).length;
    }
    return n / 1000;
  };
  let functions = Math.max(1, Math.floor((bytes - head.length) / perFunction(1000)));
  functions = Math.max(1, Math.floor((bytes - head.length) / perFunction(functions)));
  const fd = fs.openSync(file, 'w');
  let buf = head;
  let written = 0;
  const flush = (force) => {
    if (buf.length < 1 << 20 && !force) return;
    written += fs.writeSync(fd, buf);
    buf = '';
  };
  try {
    for (const part of [funcBlock, publics, cfi, win]) {
      for (let i = 0; i < functions; i++) {
        buf += part(shape(i));
        flush(false);
      }
    }
    flush(true);
  } finally {
    fs.closeSync(fd);
  }
  return { functions, bytes: written };
}

/**
 * What the file answers at rva (Breakpad's rules, worked out from the shapes): the function (or
 * gap PUBLIC), the line, the inline chain innermost first, the CFI rules and the STACK WIN.
 */
function expected(rva, functions) {
  const i = Math.floor((rva - BASE) / STRIDE);
  if (rva < BASE || i >= functions) return undefined;
  const s = shape(i);
  if (rva >= s.addr + s.size) {
    if (!s.publicInGap) return { function: undefined };
    return { function: s.publicInGap.name, functionRva: s.publicInGap.addr, isPublic: true, parameterSize: 0 };
  }
  const l = s.lines.filter((x) => x.addr <= rva && rva < x.addr + x.size)[0];
  const chain = [];
  for (const n of s.inlines) {
    if (rva >= n.addr && rva < n.addr + n.size && n.depth === chain.length) chain.unshift({ name: originName(n.origin), depth: n.depth, callFile: fileName(n.callFile), callLine: n.callLine });
  }
  let rules;
  if (s.cfi) {
    rules = { '.cfa': '$rsp 8 +', '.ra': '.cfa -8 + ^' };
    for (const d of s.cfi.deltas) {
      if (d.addr > rva) continue;
      for (const [k, v] of Object.entries(parseRules(d.rules))) rules[k] = v;
    }
  }
  return {
    function: s.name,
    functionRva: s.addr,
    functionSize: s.size,
    parameterSize: s.params,
    isPublic: false,
    multiple: s.multi,
    file: fileName(l.file),
    line: l.line,
    inlines: chain,
    cfi: rules,
    win: s.win ? { type: 4, address: s.addr, codeSize: s.size, prologueSize: s.win.prologue, parameterSize: s.win.params, localSize: s.win.locals, programString: winProgram(s) } : undefined,
  };
}

function parseRules(text) {
  const out = {};
  const m = text.split(' ');
  let reg;
  for (const t of m) {
    if (t.endsWith(':')) {
      reg = t.slice(0, -1);
      out[reg] = '';
    } else out[reg] = out[reg] ? `${out[reg]} ${t}` : t;
  }
  return out;
}

/** `count` addresses spread over the file's functions (and their gaps), from a seed. */
function sampleAddresses(functions, count, seed = 1) {
  const out = [];
  for (let k = 0; k < count; k++) {
    const h = hash(seed * 1000003 + k);
    out.push(BASE + (h % functions) * STRIDE + (hash(h) % STRIDE));
  }
  return out;
}

/**
 * Differences between what a BreakpadSymbols (lib/formats/breakpad) answers at rva and what the
 * generator wrote there: [] when all agree.
 */
function checkAnswer(s, rva, functions) {
  const want = expected(rva, functions);
  const got = s.lookup(rva);
  const at = `@${rva.toString(16)}`;
  if (!want || want.function === undefined) return got ? [`${at}: ${got.function}, expected nothing`] : [];
  if (!got) return [`${at}: nothing, expected ${want.function}`];
  const bad = [];
  for (const k of ['function', 'functionRva', 'functionSize', 'parameterSize', 'isPublic', 'multiple', 'file', 'line']) {
    if (k in want && want[k] !== got[k]) bad.push(`${at}: ${k} ${String(got[k])} != ${String(want[k])}`);
  }
  if (want.isPublic) return bad;
  const same = (what, a, b) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) bad.push(`${at}: ${what} ${JSON.stringify(a)} != ${JSON.stringify(b)}`);
  };
  same(
    'inlines',
    got.inlines.map((n) => ({ name: n.name, depth: n.depth, callFile: n.callFile, callLine: n.callLine })),
    want.inlines,
  );
  same('cfi', s.cfi(rva)?.rules, want.cfi);
  const w = s.stackWin(rva);
  same(
    'win',
    w && { type: w.type, address: w.address, codeSize: w.codeSize, prologueSize: w.prologueSize, parameterSize: w.parameterSize, localSize: w.localSize, programString: w.programString },
    want.win,
  );
  return bad;
}

module.exports = { generateSym, expected, checkAnswer, sampleAddresses, shape, STRIDE, BASE };
