/**
 * Access to ../shared/corpus (real Microsoft-toolchain files and LLVM's oracles about them).
 * The corpus is not part of the project: on a clone without it, corpus suites report that they
 * did not run (one visible skipped test saying why) instead of failing.
 */
import * as fs from 'fs';
import * as path from 'path';

export const CORPUS = process.env.DBGHELP_CORPUS ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');
export const haveCorpus = fs.existsSync(path.join(CORPUS, 'MANIFEST.tsv'));

/** Absolute path of a corpus file given its MANIFEST local_path (or a `files/`/`derived/` oracle path). */
export function corpusPath(rel: string): string {
  const r = rel.replace(/^files\//, '');
  return path.join(CORPUS, r);
}

/** `describe` when the corpus is present; otherwise one skipped test that says the suite did not run. */
export function describeCorpus(name: string, fn: () => void): void {
  if (haveCorpus) {
    describe(name, fn);
  } else {
    describe(name, () => {
      test.skip(`did not run: no corpus at ${CORPUS} (set DBGHELP_CORPUS)`, () => {});
    });
  }
}

export interface ManifestRow {
  local_path: string;
  kind: string;
  arch: string;
  notes: string;
}

export function manifest(): ManifestRow[] {
  const [head, ...rows] = fs.readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const cols = head.split('\t');
  return rows.map((r) => {
    const v = r.split('\t');
    const o: Record<string, string> = {};
    cols.forEach((c, i) => (o[c] = v[i] ?? ''));
    return o as unknown as ManifestRow;
  });
}
