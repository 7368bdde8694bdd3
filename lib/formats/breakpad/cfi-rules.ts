/**
 * The rule sets of STACK CFI INIT / STACK CFI records: `<register>: <expression>` pairs, where
 * a register is `.cfa`, `.ra` or a name (`$rbx`, `$ebp`, `x29`), and the expression (postfix,
 * Breakpad's docs/symbol_files.md) runs to the next `name:` token.
 *   `.cfa: $rsp 8 + .ra: .cfa 8 - ^`  →  { '.cfa': '$rsp 8 +', '.ra': '.cfa 8 - ^' }
 */

/** Register → postfix expression (as written, single-spaced). */
export type CfiRules = Record<string, string>;

export function cfiRules(text: string): CfiRules {
  const out: CfiRules = {};
  let reg: string | undefined;
  let expr: string[] = [];
  for (const tok of text.split(/[ \t]+/)) {
    if (!tok) continue;
    if (tok.endsWith(':') && tok.length > 1) {
      if (reg !== undefined) out[reg] = expr.join(' ');
      reg = tok.slice(0, -1);
      expr = [];
    } else expr.push(tok);
  }
  if (reg !== undefined) out[reg] = expr.join(' ');
  return out;
}
