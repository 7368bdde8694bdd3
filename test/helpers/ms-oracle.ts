/**
 * Microsoft's own answers: ../shared/corpus/oracle/**\/<image>.dbghelp-10.0.19041.685.jsonl
 * (SymFromAddrW, SymGetLineFromAddrW64 and the inline frames of every address) and
 * `.enum.jsonl` (SymEnumSymbolsW(base, "*")), written by shared/tools/msoracle running the
 * genuine dbghelp.dll under Wine. Paths in their headers are corpus paths with a `files/` prefix.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CORPUS } from './corpus';

export const MS_VERSION = '10.0.19041.685';
/** The SYMOPT_* the oracle ran with (UNDNAME|DEFERRED_LOADS|LOAD_LINES|FAIL_CRITICAL_ERRORS|NO_PROMPTS). */
export const MS_OPTIONS = 0x80216;

export interface MsSymbol {
  name: string;
  disp: number;
  flags: number;
  tag: number;
  size: number;
  rva: string;
}
export interface MsLine {
  file: string;
  line: number;
  rva: string;
  disp: number;
}
export interface MsInline extends MsSymbol {
  line?: MsLine;
}
export interface MsRow {
  rva: string;
  sym: MsSymbol | null;
  line: MsLine | null;
  inlines?: MsInline[];
}
export interface MsEnumRow {
  name: string;
  rva: string;
  size: number;
  flags: number;
  tag: number;
}
export interface MsOracle<R> {
  /** Image path relative to the corpus (what test names show). */
  image: string;
  pe: string;
  pdb: string | undefined;
  base: bigint;
  machine: string;
  rows: R[];
  /** SymGetModuleInfoW64's IMAGEHLP_MODULEW64 after the load (hex strings as written). */
  module: Record<string, string | number>;
  /** SymEnumSymbols' GetLastError when it failed (.enum.jsonl only). */
  enumError?: number;
}

function resolve(p: string): string {
  const rel = p.replace(/^files\//, '');
  for (const c of [path.join(CORPUS, rel), path.join(CORPUS, 'files', rel), path.join(CORPUS, 'derived', rel)]) if (fs.existsSync(c)) return c;
  return path.join(CORPUS, rel);
}

function walk(dir: string, suffix: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, suffix, out);
    else if (e.name.endsWith(suffix) && !e.name.startsWith('undname.')) out.push(p);
  }
  return out.sort();
}

function read<R>(file: string, suffix: string): MsOracle<R> {
  const [head, mod, ...rest] = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  const error = rest.find((r) => r.enumError !== undefined);
  return {
    image: path.relative(path.join(CORPUS, 'oracle'), file).slice(0, -suffix.length),
    pe: resolve(head.pe),
    pdb: head.pdb ? resolve(head.pdb) : undefined,
    base: BigInt(mod.module.base),
    machine: head.machine,
    module: mod.module,
    rows: rest.filter((r) => r.enumError === undefined) as R[],
    enumError: error?.enumError,
  };
}

/** Every image's SymFromAddr/lines/inlines oracle. */
export function msAddressOracles(): MsOracle<MsRow>[] {
  const suffix = `.dbghelp-${MS_VERSION}.jsonl`;
  return walk(path.join(CORPUS, 'oracle'), suffix).map((f) => read<MsRow>(f, suffix));
}

/** Every image's SymEnumSymbols oracle. */
export function msEnumOracles(): MsOracle<MsEnumRow>[] {
  const suffix = `.dbghelp-${MS_VERSION}.enum.jsonl`;
  return walk(path.join(CORPUS, 'oracle'), suffix).map((f) => read<MsEnumRow>(f, suffix));
}
