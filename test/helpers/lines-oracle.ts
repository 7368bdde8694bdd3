/**
 * Readers for llvm-pdbutil-19's text dumps used as line-table oracles:
 * - `dump -l` ("Lines"): per module, per line block, the file and `line offset` pairs, offsets
 *   being section offsets;
 * - `dump -files` ("Files"): per module, its source files;
 * - `dump -section-headers`: each section's virtual address, to turn section:offset into an RVA.
 * Hidden lines (0xfeefee, 0xf00f00, printed as numbers or `NSI`) are dropped, as DbgHelp never
 * reports them.
 */

export interface DumpLine {
  mod: number;
  obj: string;
  file: string;
  line: number;
  section: number;
  offset: number;
}

export interface DumpModuleFiles {
  mod: number;
  obj: string;
  files: string[];
}

const HIDDEN = new Set([0xfeefee, 0xf00f00]);

/** The text of one `dump` section (from its title to the next title), or undefined. */
function sectionText(text: string, title: string): string | undefined {
  const lines = text.split('\n');
  const rule = (i: number) => /^=+$/.test(lines[i]?.trim() ?? '');
  const at = lines.findIndex((l, i) => l.trim() === title && rule(i + 1));
  if (at < 0) return undefined;
  let end = at + 2;
  while (end < lines.length && !(lines[end].trim() !== '' && rule(end + 1))) end++;
  return lines.slice(at + 2, end).join('\n');
}

const MOD = /^\s*Mod (\d+) \| `(.*)`:\s*$/;

/** Every line entry of a `dump -l`, in dump order. */
export function readDumpLines(text: string): DumpLine[] {
  const body = sectionText(text, 'Lines');
  if (body === undefined) throw new Error('no "Lines" section in the dump');
  const out: DumpLine[] = [];
  let mod = -1;
  let obj = '';
  let file = '';
  let section = 0;
  for (const l of body.split('\n')) {
    const m = MOD.exec(l);
    if (m) {
      mod = Number(m[1]);
      obj = m[2];
      file = '';
      continue;
    }
    const f = /^(\S.*) \((?:MD5|SHA-?1|SHA-?256|None)\b[^)]*\)\s*$/.exec(l);
    if (f) {
      file = f[1];
      continue;
    }
    const s = /^\s+([0-9A-F]{4}):([0-9A-F]{8})-([0-9A-F]{8}), line\/addr entries = \d+/.exec(l);
    if (s) {
      section = parseInt(s[1], 16);
      continue;
    }
    // A row of `line offset` pairs; llvm-pdbutil writes hidden lines as NSI ("no step into").
    if (/^\s+(\d+|[A-Z]+) [0-9A-F]{8}\b/.test(l)) {
      for (const e of l.matchAll(/(\d+|[A-Z]+) ([0-9A-F]{8})\b/g)) {
        const line = Number(e[1]);
        if (!Number.isInteger(line) || HIDDEN.has(line)) continue;
        out.push({ mod, obj, file, line, section, offset: parseInt(e[2], 16) });
      }
    }
  }
  return out;
}

/** Each module's source files from a `dump -files`. */
export function readDumpFiles(text: string): DumpModuleFiles[] {
  const body = sectionText(text, 'Files');
  if (body === undefined) throw new Error('no "Files" section in the dump');
  const out: DumpModuleFiles[] = [];
  for (const l of body.split('\n')) {
    const m = MOD.exec(l);
    if (m) out.push({ mod: Number(m[1]), obj: m[2], files: [] });
    const f = /^- \([^)]*\) (.*)$/.exec(l);
    if (f && out.length) out[out.length - 1].files.push(f[1]);
  }
  return out;
}

/** Section virtual addresses (1-based section number → RVA) from `dump -section-headers`. */
export function readSectionAddresses(text: string): Map<number, number> {
  const out = new Map<number, number>();
  const body = sectionText(text, 'Section Headers');
  if (body === undefined) return out;
  let n = 0;
  for (const l of body.split('\n')) {
    const h = /SECTION HEADER #(\d+)/.exec(l);
    if (h) n = Number(h[1]);
    const va = /^\s+([0-9A-F]+) virtual address/.exec(l);
    if (va && n) out.set(n, parseInt(va[1], 16));
  }
  return out;
}
