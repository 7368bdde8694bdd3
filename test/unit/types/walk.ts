/**
 * Walks every type of a TPI stream the way a user of SymGetTypeInfo would (every id, every
 * request, every child and its requests) and reports anything but success or DbgHelpError
 * BAD_FORMAT. Runs in a worker thread (see robustness.test.ts), so a hang can be cut off.
 */
import { parentPort } from 'worker_threads';
import { TypeInfo } from '../../../lib/api/constants';
import { Cursor } from '../../../lib/formats/binary/cursor';
import type { PdbFile } from '../../../lib/formats/pdb/pdb-file';
import { TpiStream } from '../../../lib/formats/pdb/tpi-stream';
import { TypeModel } from '../../../lib/portable/features/types';

export interface WalkCase {
  id: string;
  stream: Uint8Array;
  hash: Uint8Array | undefined;
  /** Names to look up (getTypeFromName's path: the hash buckets). */
  names: string[];
}

const REQUESTS: number[] = [
  TypeInfo.GET_SYMTAG,
  TypeInfo.GET_SYMNAME,
  TypeInfo.GET_LENGTH,
  TypeInfo.GET_TYPE,
  TypeInfo.GET_BASETYPE,
  TypeInfo.GET_CHILDRENCOUNT,
  TypeInfo.FINDCHILDREN,
  TypeInfo.GET_OFFSET,
  TypeInfo.GET_BITPOSITION,
  TypeInfo.GET_COUNT,
  TypeInfo.GET_ARRAYINDEXTYPEID,
  TypeInfo.GET_CALLING_CONVENTION,
  TypeInfo.GET_VALUE,
  TypeInfo.GET_UDTKIND,
  TypeInfo.GET_CLASSPARENTID,
  TypeInfo.GET_VIRTUALBASECLASS,
  TypeInfo.GET_VIRTUALBASETABLETYPE,
  TypeInfo.GET_VIRTUALTABLESHAPEID,
  TypeInfo.GET_OBJECTPOINTERTYPE,
  TypeInfo.GET_IS_REFERENCE,
];

function ok(e: unknown): boolean {
  return (e as { name?: string; code?: string })?.name === 'DbgHelpError' && (e as { code?: string }).code === 'BAD_FORMAT';
}

/** Problems found (empty when every step succeeded or said BAD_FORMAT). */
export function walk(c: WalkCase): string[] {
  const problems: string[] = [];
  const step = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      if (!ok(e)) problems.push(`${c.id} ${what}: ${(e as Error)?.stack ?? String(e)}`);
    }
  };
  let tpi: TpiStream | undefined;
  step('open', () => {
    tpi = new TpiStream(Cursor.of(c.stream, 'mutated TPI'), () => (c.hash ? Cursor.of(c.hash, 'mutated TPI hash') : undefined));
  });
  if (!tpi) return problems;
  const pdb = { name: 'mutated.pdb', globals: () => undefined } as unknown as PdbFile;
  const m = new TypeModel(pdb, tpi);
  const t = tpi;
  for (const n of c.names) step(`fromName ${n}`, () => m.fromName(n, false));
  step('enumerate', () => {
    for (const _ of m.enumerate(() => true));
  });
  const seen = new Set<number>();
  const visit = (id: number, depth: number) => {
    if (seen.has(id) || seen.size > 20000) return;
    seen.add(id);
    for (const r of REQUESTS) {
      step(`info 0x${id.toString(16)} ${r}`, () => {
        const v = m.info(id, r);
        if (r === TypeInfo.FINDCHILDREN && Array.isArray(v) && depth < 2) for (const ch of v) visit(ch, depth + 1);
        else if (typeof v === 'number' && (r === TypeInfo.GET_TYPE || r === TypeInfo.GET_CLASSPARENTID) && depth < 2) visit(v, depth + 1);
      });
    }
  };
  for (let ti = t.begin; ti < t.end && ti < t.begin + 4000; ti++) visit(ti, 0);
  for (const id of [0, 1, 0x74, 0x0603, t.end, 0x7fffffff, 0x80000000, 0xffffffff]) visit(id, 0);
  return problems;
}

/** Worker side: run each case, saying when it starts and what it found. */
export function serve(): void {
  const port = parentPort!;
  port.on('message', (c: WalkCase | 'stop') => {
    if (c === 'stop') {
      port.close();
      return;
    }
    port.postMessage({ type: 'start', id: c.id });
    const problems = walk(c);
    port.postMessage({ type: 'done', id: c.id, problems });
  });
  port.postMessage({ type: 'ready' });
}
