/**
 * Every Windows dump of the corpus, read with lib/formats/minidump and checked against the
 * corpus's own descriptions of it: Breakpad's minidump_dump and minidump_stackwalk outputs for
 * minidump2.dmp, LLVM obj2yaml's reading of every dump (streams, threads, modules, memory,
 * exception, system info), and the MANIFEST's notes (OS version, counts, exception, main
 * module's debug id). Values, not shapes: every number below comes from those files.
 */
import * as fs from 'fs';
import { exceptionName } from '../../lib/stack/exception-codes';
import { openMinidump } from '../../lib/formats/minidump/minidump';
import { corpusPath, describeCorpus, manifest } from '../helpers/corpus';

const TESTDATA = 'google_breakpad/src/processor/testdata';

// ---- obj2yaml, line by line (only the fields used here) ----
interface YamlDump {
  streams: string[];
  threads: { id: number; teb: bigint; stackStart: bigint; stackSize: number }[];
  modules: { base: bigint; size: number; timeDateStamp: number; name: string; cv: string }[];
  memory: { start: bigint; content: string }[];
  exception?: { thread: number; code: number; address: bigint };
  system?: { arch: string; major: number; minor: number; build: number; csd?: string };
}

function readYaml(file: string): YamlDump {
  const out: YamlDump = { streams: [], threads: [], modules: [], memory: [] };
  let stream = '';
  let inStack = false;
  const num = (v: string) => BigInt(v.startsWith('0x') ? v : v);
  const unquote = (v: string) => (v.startsWith("'") ? v.slice(1, -1).replace(/''/g, "'") : v);
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\s*)(- )?([A-Za-z ]+?):\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, indent, dash, key, value] = m;
    if (indent === '  ' && dash && key === 'Type') {
      stream = value;
      out.streams.push(value);
      continue;
    }
    if (stream === 'ThreadList') {
      if (key === 'Thread Id') out.threads.push({ id: Number(value), teb: 0n, stackStart: 0n, stackSize: 0 });
      const t = out.threads[out.threads.length - 1];
      if (key === 'Environment Block') t.teb = num(value);
      if (key === 'Stack') inStack = true;
      if (key === 'Context') inStack = false;
      if (inStack && key === 'Start of Memory Range') t.stackStart = num(value);
      if (inStack && key === 'Content') {
        t.stackSize = value.length / 2;
        inStack = false;
      }
    } else if (stream === 'ModuleList') {
      if (key === 'Base of Image') out.modules.push({ base: num(value), size: 0, timeDateStamp: 0, name: '', cv: '' });
      const mod = out.modules[out.modules.length - 1];
      if (key === 'Size of Image') mod.size = Number(value);
      if (key === 'Time Date Stamp') mod.timeDateStamp = Number(value);
      if (key === 'Module Name') mod.name = unquote(value);
      if (key === 'CodeView Record') mod.cv = unquote(value);
    } else if (stream === 'MemoryList') {
      if (key === 'Start of Memory Range') out.memory.push({ start: num(value), content: '' });
      if (key === 'Content') out.memory[out.memory.length - 1].content = unquote(value);
    } else if (stream === 'Exception') {
      out.exception ??= { thread: 0, code: 0, address: 0n };
      if (key === 'Thread ID') out.exception.thread = Number(value);
      if (key === 'Exception Code') out.exception.code = Number(value);
      if (key === 'Exception Address') out.exception.address = num(value);
    } else if (stream === 'SystemInfo') {
      out.system ??= { arch: '', major: 0, minor: 0, build: 0 };
      if (key === 'Processor Arch') out.system.arch = value;
      if (key === 'Major Version') out.system.major = Number(value);
      if (key === 'Minor Version') out.system.minor = Number(value);
      if (key === 'Build Number') out.system.build = Number(value);
      if (key === 'CSD Version') out.system.csd = unquote(value);
    }
  }
  return out;
}

const YAML_TYPES: Record<string, number> = {
  ThreadList: 3,
  ModuleList: 4,
  MemoryList: 5,
  Exception: 6,
  SystemInfo: 7,
  HandleData: 12,
  UnloadedModuleList: 14,
  MiscInfo: 15,
  MemoryInfoList: 16,
  SystemMemoryInfo: 21,
  ProcessVMCounters: 22,
  BreakpadInfo: 0x47670001,
};
const ARCH: Record<string, number> = { X86: 0, AMD64: 9, ARM64: 12 };
const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex').toUpperCase() : 'unreadable');

describeCorpus('minidump reader: corpus dumps vs obj2yaml and the MANIFEST', () => {
  const rows = manifest().filter((r) => r.kind === 'dmp');

  test('the corpus has the ten dumps this suite was written for', () => {
    expect(rows.length).toBe(10);
  });

  describe.each(rows.map((r) => [r.local_path, r] as const))('%s', (file, row) => {
    const d = openMinidump(corpusPath(file));
    const yamlFile = corpusPath(`oracle/${file}.obj2yaml-19.yaml`);
    const y = fs.existsSync(yamlFile) ? readYaml(yamlFile) : undefined;

    test('MANIFEST notes: OS version, thread and module counts, exception, main module', () => {
      const notes = row.notes;
      const os = /Windows NT (\d+)\.(\d+)\.(\d+)/.exec(notes)!;
      const s = d.systemInfo()!;
      expect([s.majorVersion, s.minorVersion, s.buildNumber]).toEqual([Number(os[1]), Number(os[2]), Number(os[3])]);
      expect(d.threads().length).toBe(Number(/threads=(\d+)/.exec(notes)![1]));
      expect(d.modules().length).toBe(Number(/modules=(\d+)/.exec(notes)![1]));
      const ex = /exception=\{'thread': (\d+), 'code': '(0x[0-9a-f]+)', 'address': '(0x[0-9a-f]+)'\}/.exec(notes);
      if (ex) {
        expect(d.exception()).toMatchObject({ threadId: Number(ex[1]), exceptionCode: Number(ex[2]), exceptionAddress: BigInt(ex[3]) });
        // The exception context's instruction pointer is the exception address.
        const ctx = d.exceptionContext()!;
        expect(ctx.registers.get(ctx.arch === 'x86' ? 'eip' : 'rip')).toBe(BigInt(ex[3]));
      } else {
        expect(notes).toContain('exception=None');
        expect(d.exception()).toBeUndefined();
      }
      const main = /main module: (\S+) pdb (\S+) (\S+)/.exec(notes);
      if (main) {
        const m = d.modules()[0];
        expect(m.name).toBe(main[1]);
        expect(m.debugFile ?? 'None').toBe(main[2]);
        expect(m.debugId ?? 'None').toBe(main[3]);
      }
    });

    if (!y) return;

    test('stream directory (obj2yaml)', () => {
      const ours = d.directory.map((e) => e.streamType);
      const theirs = y.streams.map((t) => YAML_TYPES[t] ?? Number(t));
      expect(ours).toEqual(theirs);
    });

    test('threads: ids, TEBs, stacks, and the stack bytes from memory (obj2yaml)', () => {
      expect(y.threads.length).toBeGreaterThan(0);
      expect(d.threads().map((t) => ({ id: t.threadId, teb: t.teb, stackStart: t.stack.start, stackSize: t.stack.location.dataSize }))).toEqual(y.threads);
      for (const t of d.threads()) expect(d.threadContext(t)?.registers.size).toBeGreaterThanOrEqual(3);
    });

    test('modules: bases, sizes, timestamps, names, CodeView records (obj2yaml)', () => {
      const mods = d.modules();
      expect(mods.map((m) => ({ base: m.base, size: m.size, timeDateStamp: m.timeDateStamp, name: m.name }))).toEqual(y.modules.map(({ cv: _cv, ...rest }) => rest));
      const bytes = fs.readFileSync(corpusPath(file));
      expect(y.modules.length).toBeGreaterThan(10);
      mods.forEach((m, i) => {
        expect(hex(bytes.subarray(m.cvLocation.rva, m.cvLocation.rva + m.cvLocation.dataSize))).toBe(y.modules[i].cv);
        if (m.codeView?.signature === 'RSDS') expect(m.debugId).toMatch(/^[0-9A-F]{33,40}$/);
      });
    });

    test('MemoryList: every range reads back its bytes through memory() (obj2yaml)', () => {
      const mem = d.memory();
      expect(y.memory.length).toBeGreaterThan(2);
      expect(d.memoryList().map((r) => r.start)).toEqual(y.memory.map((r) => r.start));
      for (const r of y.memory) expect(hex(mem.read(r.start, r.content.length / 2))).toBe(r.content);
    });

    test('SystemInfo and Exception (obj2yaml)', () => {
      const s = d.systemInfo()!;
      expect(s.processorArchitecture).toBe(ARCH[y.system!.arch]);
      expect([s.majorVersion, s.minorVersion, s.buildNumber]).toEqual([y.system!.major, y.system!.minor, y.system!.build]);
      if (y.system!.csd !== undefined) expect(s.csdVersion).toBe(y.system!.csd);
      if (y.exception) expect(d.exception()).toMatchObject({ threadId: y.exception.thread, exceptionCode: y.exception.code, exceptionAddress: y.exception.address });
    });
  });
});

describeCorpus('minidump reader: minidump2.dmp vs Breakpad minidump_dump and minidump_stackwalk', () => {
  const d = openMinidump(corpusPath(`${TESTDATA}/minidump2.dmp`));
  const dumpOut = fs.readFileSync(corpusPath(`${TESTDATA}/minidump2.dump.out`), 'utf8');
  const walkOut = fs.readFileSync(corpusPath(`${TESTDATA}/minidump2.stackwalk.out`), 'utf8');
  /** `key = value` pairs of each MDRaw* block named `block`. */
  const blocks = (block: string) =>
    dumpOut
      .split(/\n\n/)
      .filter((b) => b.split('\n').some((l) => l.trim() === block))
      .map((b) => Object.fromEntries([...b.matchAll(/^\s+(\S[^=]*?)\s+= (.*)$/gm)].map((m) => [m[1], m[2]])));

  test('header', () => {
    const [h] = blocks('MDRawHeader');
    expect(d.header.version).toBe(Number(h.version));
    expect(d.header.streamCount).toBe(Number(h.stream_count));
    expect(d.header.timeDateStamp).toBe(Number(h.time_date_stamp.split(' ')[0]));
  });

  test('all 13 modules: code file and id, debug file and id, version', () => {
    const want = blocks('MDRawModule');
    expect(want).toHaveLength(13);
    const got = d.modules();
    want.forEach((w, i) => {
      const m = got[i];
      const unq = (s: string) => s.replace(/^"|"$/g, '');
      expect({ base: m.base, size: m.size, checkSum: m.checkSum, ts: m.timeDateStamp, name: m.name, codeId: m.codeId, debugFile: m.debugFile, debugId: m.debugId, version: m.version ?? '' }).toEqual({
        base: BigInt(w.base_of_image),
        size: Number(w.size_of_image),
        checkSum: Number(w.checksum),
        ts: Number(w.time_date_stamp.split(' ')[0]),
        name: unq(w['(code_file)']),
        codeId: unq(w['(code_identifier)']).toUpperCase(),
        debugFile: unq(w['(debug_file)']),
        debugId: unq(w['(debug_identifier)']),
        version: unq(w['(version)']),
      });
      expect(m.versionInfo.fileFlagsMask).toBe(Number(w['version_info.file_flags_mask']));
      expect(m.versionInfo.fileOS).toBe(Number(w['version_info.file_os']));
    });
  });

  test('threads and their x86 contexts', () => {
    const threads = blocks('MDRawThread');
    const ctxs = blocks('MDRawContextX86');
    expect(d.threads().map((t) => [t.threadId, t.teb, t.stack.start, t.stack.location.dataSize, t.contextLocation.rva])).toEqual(
      threads.map((t) => [Number(t.thread_id), BigInt(t.teb), BigInt(t['stack.start_of_memory_range']), Number(t['stack.memory.data_size']), Number(t['thread_context.rva'])]),
    );
    // Two thread contexts then the exception's.
    const ours = [...d.threads().map((t) => d.threadContext(t)!), d.exceptionContext()!];
    ours.forEach((c, i) => {
      expect(c.flags).toBe(Number(ctxs[i].context_flags));
      for (const r of ['eip', 'esp', 'ebp', 'eax', 'ebx', 'ecx', 'edx', 'esi', 'edi']) expect([r, c.registers.get(r)]).toEqual([r, BigInt(ctxs[i][r])]);
      for (const r of ['eflags', 'cs', 'ss', 'fs']) expect([r, c.raw.get(r)]).toEqual([r, BigInt(ctxs[i][r])]);
    });
  });

  test('memory regions, exception, system info, misc info, Breakpad info', () => {
    const regions = blocks('MDMemoryDescriptor');
    expect(d.memoryList().map((r) => [r.start, r.location.dataSize, r.location.rva])).toEqual(
      regions.map((r) => [BigInt(r.start_of_memory_range), Number(r['memory.data_size']), Number(r['memory.rva'])]),
    );
    const [e] = blocks('MDException');
    expect(d.exception()).toMatchObject({
      threadId: Number(e.thread_id),
      exceptionCode: Number(e['exception_record.exception_code']),
      exceptionAddress: BigInt(e['exception_record.exception_address']),
      parameters: [BigInt(e['exception_record.exception_information[ 0]']), BigInt(e['exception_record.exception_information[ 1]'])],
    });
    const [s] = blocks('MDRawSystemInfo');
    expect(d.systemInfo()).toMatchObject({
      processorLevel: Number(s.processor_level),
      processorRevision: Number(s.processor_revision),
      numberOfProcessors: Number(s.number_of_processors),
      productType: Number(s.product_type),
      platformId: Number(s.platform_id.split(' ')[0]),
      suiteMask: Number(s.suite_mask),
      csdVersion: s['(csd_version)'].replace(/"/g, ''),
      x86Cpu: { vendorId: s['(cpu_vendor)'].replace(/"/g, ''), featureInformation: Number(s['cpu.x86_cpu_info.feature_information']) },
    });
    const [m] = blocks('MDRawMiscInfo');
    expect(d.miscInfo()).toMatchObject({ level: 1, flags1: Number(m.flags1), processId: Number(m.process_id), processCreateTime: Number(m.process_create_time.split(' ')[0]) });
    const [b] = blocks('MDRawBreakpadInfo');
    expect(d.breakpadInfo()).toEqual({ validity: Number(b.validity), dumpThreadId: Number(b.dump_thread_id), requestingThreadId: Number(b.requesting_thread_id) });
  });

  test('minidump_stackwalk: frame 0 registers, crash parameters, loaded module ranges and versions', () => {
    const frame0 = walkOut.split(/\n \d+ /)[1];
    const ctx = d.exceptionContext()!;
    for (const [, r, v] of frame0.matchAll(/(\w+) = (0x[0-9a-f]+)/g)) {
      const name = r === 'efl' ? 'eflags' : r;
      expect([name, ctx.raw.get(name)]).toEqual([name, BigInt(v)]);
    }
    expect(walkOut).toContain('5.1.2600 Service Pack 2');
    const ex = d.exception()!;
    expect(walkOut).toContain(`Crash reason:  ${exceptionName(ex.exceptionCode, ex.parameters)}\n`);
    expect(exceptionName(ex.exceptionCode, ex.parameters)).toBe('EXCEPTION_ACCESS_VIOLATION_WRITE');
    expect(walkOut).toContain(`Crash address: 0x${d.exception()!.parameters[1].toString(16)}`);
    const mods = [...walkOut.matchAll(/^(0x[0-9a-f]+) - (0x[0-9a-f]+)\s+(\S+)\s+(\S+)/gm)];
    expect(mods).toHaveLength(13);
    for (const [, lo, hi, name, version] of mods) {
      const m = d.moduleAt(BigInt(lo))!;
      expect(m.base).toBe(BigInt(lo));
      expect(m.base + BigInt(m.size) - 1n).toBe(BigInt(hi));
      expect(m.name.split('\\').pop()).toBe(name);
      expect(m.version ?? '???').toBe(version);
    }
  });
});

describeCorpus('minidump reader: hand-checked corpus bytes', () => {
  test('thread_name_list.dmp: the ThreadNames stream (0x18 at 0x11d4, 40 bytes)', () => {
    const d = openMinidump(corpusPath(`${TESTDATA}/thread_name_list.dmp`));
    expect(d.entry(24)!.location).toEqual({ rva: 0x11d4, dataSize: 40 });
    expect(d.threadNames()).toEqual(
      new Map([
        [0x19a4, 'main thread'],
        [0x2274, 'sleep thread'],
        [0x2ae0, 'overflow thread'],
      ]),
    );
    // The crashing thread is the one named "overflow thread".
    expect(d.threadNames().get(d.exception()!.threadId)).toBe('overflow thread');
  });

  test('tiny-exe-with-cet-xsave.dmp: amd64 CONTEXT_EX + compacted XSAVE with CET_U: SSP', () => {
    const d = openMinidump(corpusPath(`${TESTDATA}/tiny-exe-with-cet-xsave.dmp`));
    const [t] = d.threads();
    expect(t.contextLocation.dataSize).toBe(1407); // 1232 + CONTEXT_EX + XSAVE header + CET_U (+ padding)
    const c = d.threadContext(t)!;
    expect(c.flags).toBe(0x10005f); // AMD64 | CONTROL | INTEGER | SEGMENTS | FLOATING_POINT | XSTATE
    expect(c.registers.get('rip')).toBe(0x7ff9111e39e4n);
    expect(c.registers.get('rsp')).toBe(0xcbc82ff448n);
    // XSAVE header at context + 1232 + 80: Mask 0x800 (CET_U); CET_U = { U_CET 1, SSP 0xcbc83fefc8 }.
    expect(c.xstateMask).toBe(0x800n);
    expect(c.cet).toEqual({ uCet: 1n, ssp: 0xcbc83fefc8n });
    // The shadow stack is in the dump's memory: its top holds a return address in a module.
    const top = d.memory().read(c.cet!.ssp, 8)!;
    expect(Buffer.from(top).readBigUInt64LE(0)).toBe(0x7ff91119b4c3n);
    expect(d.moduleAt(0x7ff91119b4c3n)!.name).toBe('C:\\WINDOWS\\SYSTEM32\\ntdll.dll');
    // MiscInfo 5 says CET_U is 16 bytes at 576 in the standard layout.
    expect(d.miscInfo()!.xstate!.features[11]).toEqual({ offset: 576, size: 16 });
    expect(d.unloadedModules()).toHaveLength(1);
    expect(d.handles()).toHaveLength(147);
    expect(d.memoryInfo()).toHaveLength(557);
  });

  test('tiny-exe-with-cet-xsave-x86.dmp: x86 contexts with XSTATE (AVX, no CET) read as x86', () => {
    const d = openMinidump(corpusPath(`${TESTDATA}/tiny-exe-with-cet-xsave-x86.dmp`));
    for (const t of d.threads()) {
      expect(t.contextLocation.dataSize).toBe(1147);
      const c = d.threadContext(t)!;
      expect(c.arch).toBe('x86');
      expect(c.flags).toBe(0x1007f);
      expect(c.cet).toBeUndefined();
    }
  });

  test('mini.dmp: MiscInfo 5 with time zone and build strings', () => {
    const d = openMinidump(corpusPath('getsentry_symbolic/symbolic-testutils/fixtures/windows/mini.dmp'));
    expect(d.miscInfo()).toMatchObject({
      level: 5,
      processId: 1928,
      processCreateTime: 0x5ab38078,
      buildString: '10.0.14393.1715 (rs1_release_inmarket.170906-1810)',
      dbgBuildString: 'dbgcore.i386,10.0.14321.1024',
      timeZone: { bias: 480, standardName: 'Pacific Standard Time', daylightName: 'Pacific Daylight Time' },
    });
    expect(d.breakpadInfo()).toEqual({ validity: 0 });
  });
});
