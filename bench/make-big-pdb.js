#!/usr/bin/env node
// Generates a big PDB for the benchmark: C++ sources (many translation units of classes,
// templates, virtual functions, enums, always-inlined helpers at -O2 so inline sites and inlinee
// lines exist, line tables with columns) built with clang-19 --target=x86_64-pc-windows-msvc
// -gcodeview and lld-link-19 /DEBUG:FULL into big.exe + big.pdb under bench/.cache/big-<MB>/
// ($DBGHELP_BENCH_CACHE/big-<MB>/ when that is set: .ci/run keeps it outside the clone, so a
// fresh clone on the same machine reuses the build instead of spending ~5-9 min on it again).
// Nothing here is committed as a binary; the sources are the same on every machine (seeded).
//
//   node bench/make-big-pdb.js [--size MB] [--jobs N] [--out DIR] [--force] [--keep]
//
// --size is the PDB size aimed at, in MB (default 187, the brief's reference PDB); the class
// count is scaled from a measured ~6.3 KB of PDB per generated class and the real size is
// printed. An existing build with the same parameters is reused (its stamp file says how it was
// made) unless --force. --keep keeps the sources and objects (else removed after the link).
// Prints the exe path on the last line of stdout.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const os = require('os');

const GENERATOR_VERSION = 1;
const BYTES_PER_CLASS = 6330; // PDB bytes per generated class, measured with clang-19/lld-link-19

const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const sizeMb = Number(opt('--size', '187'));
const jobs = Number(opt('--jobs', String(Math.max(1, os.cpus().length))));
const outDir = path.resolve(opt('--out', path.join(process.env.DBGHELP_BENCH_CACHE || path.join(__dirname, '.cache'), `big-${sizeMb}`)));
const force = args.includes('--force');
const keep = args.includes('--keep');
if (!(sizeMb > 0)) throw new Error('--size must be a positive number of MB');

const CC = process.env.CC || 'clang-19';
const LINK = process.env.LINK || 'lld-link-19';
const CXXFLAGS = [
  '--target=x86_64-pc-windows-msvc',
  '-O2',
  '-g',
  '-gcodeview',
  '-gcolumn-info',
  '-gno-codeview-command-line',
  '-std=c++17',
  '-fno-exceptions',
  '-fno-rtti',
  '-fno-threadsafe-statics',
  '-fno-stack-protector',
  '-mno-stack-arg-probe',
];
const LDFLAGS = ['/debug:full', '/nodefaultlib', '/entry:mainCRTStartup', '/subsystem:console', '/opt:noref', '/opt:noicf', '/pdbaltpath:%_PDB%'];

/** Deterministic pseudo-random numbers (the same sources on every machine). */
function lcg(seed) {
  let x = seed >>> 0;
  return (n) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
}

const HEADER = `// big.h: templates shared by every translation unit (instantiated per TU with its own types)
typedef __SIZE_TYPE__ size_t;
extern volatile int g_sink;

template <class T, int N> struct Ring {
  T items[N];
  int head;
  __attribute__((always_inline)) void push(T v) {
    items[head % N] = v;
    head = head + 1;
    g_sink = head;
  }
  __attribute__((always_inline)) T at(int i) const {
    g_sink = i;
    return items[(unsigned)i % N];
  }
};

template <class K, class V> struct Pair {
  K key;
  V value;
  __attribute__((always_inline)) bool less(const Pair &o) const {
    g_sink = 1;
    return key < o.key;
  }
};

template <class T> struct Node {
  T value;
  Node *next;
  __attribute__((noinline)) T sum() const {
    T s = T();
    for (const Node *n = this; n; n = n->next) {
      s = s + n->value;
      g_sink = (int)s;
    }
    return s;
  }
};

template <class T, class U> __attribute__((noinline)) int combine(T *t, const U &u, int n) {
  int r = n;
  for (int i = 0; i < n; i++) {
    r += t->calc(i, (int)sizeof(U));
    g_sink = r;
  }
  return r;
}

struct Base {
  virtual int run(int x) = 0;
  virtual ~Base() {}
  int id;
};
`;

function translationUnit(t, classes, rnd) {
  let s = `// tu${t}.cpp: ${classes} generated classes\n#include "big.h"\nnamespace mod${t} {\n`;
  for (let k = 0; k < classes; k++) {
    const n = 3 + rnd(29);
    const loops = 2 + rnd(5);
    // Declared, never defined: type records only (member function types and argument lists).
    let methods = '';
    for (let j = 0; j < 12; j++) methods += `  long method${j}(int a${j}, double b, const char *c, Widget${k} *w${j > 6 ? ', Color' + k + ' e' : ''});\n`;
    s += `
enum class Color${k} { red${k}, green${k}, blue${k}, other${k} = ${rnd(1000)} };
struct Widget${k} : Base {
  int a;
  long long b;
  double c;
  Color${k} color;
  Ring<int, ${n}> ring;
  Pair<Widget${k} *, long> pair;
  Node<double> *nodes;
  unsigned flags : ${1 + rnd(7)};
  struct Detail${k} {
    int x;
    short y;
    char name[${4 + rnd(60)}];
    unsigned long long z;
    float f;
  } detail;
${methods}  int run(int x) override;
  int calc(int x, int y);
  static Widget${k} *make(int seed);
};
__attribute__((always_inline)) static inline int step${k}(int x) {
  g_sink = x + ${k};
  int y = x * ${k + 7};
  g_sink = y;
  return y ^ g_sink;
}
__attribute__((noinline)) int Widget${k}::calc(int x, int y) {
  int r = step${k}(x);
  ring.push(r + y);
  if (pair.less(pair)) r += ${1 + rnd(9)};
  for (int i = 0; i < ${loops}; i++) {
    r += ring.at(i + y);
    g_sink = r;
  }
  a = r;
  return r + (int)b;
}
int Widget${k}::run(int x) {
  int r = calc(x, a);
  r += step${k}(r);
  if (nodes) r += (int)nodes->sum();
  Pair<Widget${k} *, Ring<long, ${n}>> p{};
  r += combine(this, p, ${loops});
  g_sink = r;
  return r;
}
Widget${k} *Widget${k}::make(int seed) {
  static Widget${k} storage;
  storage.a = seed;
  storage.color = Color${k}::green${k};
  return &storage;
}
`;
  }
  s += `\nint entry(int x) {\n  int r = 0;\n`;
  for (let k = 0; k < classes; k++) s += `  r += Widget${k}::make(x)->run(r);\n`;
  s += `  return r;\n}\n} // namespace mod${t}\n`;
  return s;
}

function mainUnit(tus) {
  let m = `// main.cpp: the entry point calls every translation unit\nvolatile int g_sink;\nextern "C" {\nint _fltused;\n}\n`;
  for (let t = 0; t < tus; t++) m += `namespace mod${t} { int entry(int); }\n`;
  m += `extern "C" int mainCRTStartup() {\n  int r = 0;\n`;
  for (let t = 0; t < tus; t++) m += `  r += mod${t}::entry(r);\n`;
  m += `  return r;\n}\nextern "C" int _purecall() { return 0; }\nvoid operator delete(void *, unsigned long long) {}\n`;
  return m;
}

/** Translation units with varied sizes (5..300 classes) adding up to the wanted class count. */
function plan(totalClasses) {
  const rnd = lcg(187);
  const sizes = [];
  let left = totalClasses;
  while (left > 0) {
    const r = rnd(100);
    const n = Math.min(left, r < 50 ? 5 + rnd(40) : r < 90 ? 40 + rnd(120) : 160 + rnd(140));
    sizes.push(n);
    left -= n;
  }
  return sizes;
}

function run(cmd, argv, cwd) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${argv.join(' ')} failed (${code}): ${err.slice(-2000)}`))));
  });
}

async function pool(tasks, n) {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      await tasks[i]();
      done++;
      if (done % 50 === 0 || done === tasks.length) process.stderr.write(`  compiled ${done}/${tasks.length}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, worker));
}

async function main() {
  for (const tool of [CC, LINK]) {
    if (spawnSync(tool, ['--version']).status !== 0) throw new Error(`${tool} not found (apt install clang-19 lld-19)`);
  }
  const classes = Math.max(1, Math.round((sizeMb * 1e6) / BYTES_PER_CLASS));
  const sizes = plan(classes);
  const stamp = JSON.stringify({ GENERATOR_VERSION, sizeMb, classes, tus: sizes.length, CXXFLAGS, LDFLAGS });
  const exe = path.join(outDir, 'big.exe');
  const pdb = path.join(outDir, 'big.pdb');
  const stampFile = path.join(outDir, 'stamp.json');
  if (!force && fs.existsSync(exe) && fs.existsSync(pdb) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    process.stderr.write(`make-big-pdb: reusing ${pdb} (${(fs.statSync(pdb).size / 1e6).toFixed(1)} MB)\n`);
    console.log(exe);
    return;
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  const src = path.join(outDir, 'src');
  const obj = path.join(outDir, 'obj');
  fs.mkdirSync(src, { recursive: true });
  fs.mkdirSync(obj, { recursive: true });

  const t0 = Date.now();
  fs.writeFileSync(path.join(src, 'big.h'), HEADER);
  const rnd = lcg(42);
  sizes.forEach((n, t) => fs.writeFileSync(path.join(src, `tu${t}.cpp`), translationUnit(t, n, rnd)));
  fs.writeFileSync(path.join(src, 'main.cpp'), mainUnit(sizes.length));
  process.stderr.write(`make-big-pdb: ${classes} classes in ${sizes.length} translation units, aiming at ${sizeMb} MB; ${jobs} jobs\n`);

  const units = ['main', ...sizes.map((_, t) => `tu${t}`)];
  // Largest first, so the pool does not end on one long compile.
  const order = units.slice().sort((a, b) => (b === 'main' ? 0 : sizes[+b.slice(2)]) - (a === 'main' ? 0 : sizes[+a.slice(2)]));
  await pool(
    order.map((u) => () => run(CC, [...CXXFLAGS, '-c', path.join(src, `${u}.cpp`), '-o', path.join(obj, `${u}.obj`)], src)),
    jobs,
  );
  const tCompile = Date.now();
  // A response file: thousands of objects on one command line.
  const rsp = path.join(obj, 'link.rsp');
  fs.writeFileSync(rsp, units.map((u) => `"${path.join(obj, `${u}.obj`)}"`).join('\n') + '\n');
  await run(LINK, [...LDFLAGS, `/out:${exe}`, `/pdb:${pdb}`, `@${rsp}`], outDir);
  const tLink = Date.now();
  if (!keep) {
    fs.rmSync(src, { recursive: true, force: true });
    fs.rmSync(obj, { recursive: true, force: true });
  }
  fs.writeFileSync(stampFile, stamp);
  process.stderr.write(
    `make-big-pdb: ${pdb} ${(fs.statSync(pdb).size / 1e6).toFixed(1)} MB, exe ${(fs.statSync(exe).size / 1e6).toFixed(1)} MB; ` +
      `compile ${((tCompile - t0) / 1000).toFixed(0)} s, link ${((tLink - tCompile) / 1000).toFixed(0)} s\n`,
  );
  console.log(exe);
}

main().catch((e) => {
  process.stderr.write(`make-big-pdb: ${e.message}\n`);
  process.exit(1);
});
