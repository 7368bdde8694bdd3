/**
 * Robustness cases for the inline frame code, run in a worker by watchdog.ts. Each case parses
 * one malformed input and says how it ended: 'ok', 'BAD_FORMAT' (with the DbgHelpError's file
 * and offset), or anything else, which the tests count as a failure.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DbgHelpError } from '../../../lib/api/errors';
import { Cursor } from '../../../lib/formats/binary/cursor';
import { readCrossScopeExports, readCrossScopeImports } from '../../../lib/formats/codeview/cross-scope-ids';
import { inlineRanges, readBinaryAnnotations } from '../../../lib/formats/codeview/inline-annotations';
import { readInlineSite } from '../../../lib/formats/codeview/inline-site';
import { checksumFileNameOffset, findInlineeSubsections, readInlineeLines } from '../../../lib/formats/codeview/inlinee-lines';

export interface CaseResult {
  outcome: 'ok' | 'BAD_FORMAT' | string;
  detail?: string;
}

export type CaseName = 'annotations' | 'inlineeLines' | 'c13' | 'inlineSite' | 'pdb' | 'spin';

/** A mutated copy of a PDB (byte overwrites, or a cut) and the image it belongs to. */
export interface PdbCaseArg {
  pdb: string;
  image: string;
  /** [file offset, byte] pairs to overwrite. */
  sets: [number, number][];
  /** RVAs to ask about. */
  rvas: number[];
}

function settle(fn: () => unknown): CaseResult {
  try {
    fn();
    return { outcome: 'ok' };
  } catch (e) {
    return failure(e);
  }
}

function failure(e: unknown): CaseResult {
  if (e instanceof DbgHelpError && e.code === 'BAD_FORMAT') {
    if (e.file === undefined || e.offset === undefined) return { outcome: 'BAD_FORMAT without file/offset', detail: e.message };
    return { outcome: 'BAD_FORMAT', detail: e.message };
  }
  return { outcome: e instanceof DbgHelpError ? `DbgHelpError ${e.code}` : `${(e as Error)?.name}`, detail: (e as Error)?.stack ?? String(e) };
}

const cursor = (bytes: number[]) => Cursor.of(Uint8Array.from(bytes), 'test annotations');

export function run(name: CaseName, arg: unknown): CaseResult | Promise<CaseResult> {
  switch (name) {
    case 'annotations':
      return settle(() => inlineRanges(readBinaryAnnotations(cursor(arg as number[])), 10, 0));
    case 'inlineSite':
      return settle(() => {
        const { kind, bytes } = arg as { kind: number; bytes: number[] };
        const s = readInlineSite(kind, cursor(bytes));
        inlineRanges(readBinaryAnnotations(s.annotations), 1, 0);
      });
    case 'inlineeLines':
      return settle(() => {
        const c = cursor(arg as number[]);
        for (const e of readInlineeLines(c)) checksumFileNameOffset(Cursor.of(new Uint8Array(8), 'checksums'), e.fileId);
      });
    case 'c13':
      return settle(() => {
        const found = findInlineeSubsections(cursor(arg as number[]));
        for (const b of found.inlineeLines) readInlineeLines(b);
        if (found.crossScopeImports) readCrossScopeImports(found.crossScopeImports);
        if (found.crossScopeExports) readCrossScopeExports(found.crossScopeExports);
      });
    case 'pdb':
      return pdbCase(arg as PdbCaseArg);
    case 'spin': {
      // The watchdog's own test: a case that never returns when asked to.
      if (arg) for (;;);
      return { outcome: 'ok' };
    }
  }
}

let tmp: string | undefined;
let handler: typeof import('../../../lib/handler') | undefined;

/** Loads what a kind of case needs before the first case's clock starts. */
export async function prepare(name: CaseName): Promise<void> {
  // Loaded here, not at the top: the format cases stay quick to start in a fresh worker.
  if (name === 'pdb') handler ??= await import('../../../lib/handler');
}

/** Loads the mutated PDB with its image and asks every inline question at every RVA. */
async function pdbCase(a: PdbCaseArg): Promise<CaseResult> {
  const buf = Uint8Array.from(fs.readFileSync(a.pdb));
  for (const [at, v] of a.sets) if (at < buf.length) buf[at] = v;
  tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'dbghelp-inlines-'));
  const file = path.join(tmp, path.basename(a.pdb));
  fs.writeFileSync(file, buf);
  await prepare('pdb');
  const sym = handler!.SymbolHandler.initialize();
  try {
    let base: bigint;
    try {
      base = await sym.loadModule(a.image, { pdbPath: file });
    } catch (e) {
      return failure(e);
    }
    let rejected: CaseResult | undefined;
    for (const rva of a.rvas) {
      const address = base + BigInt(rva);
      try {
        const n = sym.addrIncludeInlineTrace(address);
        const q = sym.queryInlineTrace({ startAddress: address, startContext: 0, startRetAddress: address, curAddress: address });
        for (let i = 0; i <= n && q; i++) {
          sym.fromInlineContext(address, (q.curContext + i) >>> 0);
          sym.getLineFromInlineContext(address, (q.curContext + i) >>> 0);
        }
      } catch (e) {
        const r = failure(e);
        if (r.outcome !== 'BAD_FORMAT') return r;
        rejected ??= r;
      }
    }
    return rejected ?? { outcome: 'ok' };
  } finally {
    sym.cleanup();
  }
}
