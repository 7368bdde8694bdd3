/**
 * A small argument parser for the dbghelp command: `--flag`, `--opt value`, `--opt=value`,
 * positionals. Unknown options are usage errors (exit 2).
 */
export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string>;
}

export function parseArgs(argv: string[], valueOptions: string[], flagOptions: string[]): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (valueOptions.includes(name)) {
        const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        out.values.set(name, v);
      } else if (flagOptions.includes(name) && eq < 0) {
        out.flags.add(name);
      } else {
        throw new UsageError(`unknown option ${a}`);
      }
    } else {
      out.positionals.push(a);
    }
  }
  return out;
}

/** Parses a hex (`0x...`) or decimal address into a bigint; a usage error otherwise. */
export function parseAddress(s: string): bigint {
  const t = s.trim();
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(t)) throw new UsageError(`'${s}' is not an address (use hex like 0x140001000)`);
  const v = BigInt(t);
  if (v > 0xffffffffffffffffn) throw new UsageError(`'${s}' does not fit in 64 bits`);
  return v;
}

export const hex = (v: bigint | number): `0x${string}` => `0x${v.toString(16)}`;
