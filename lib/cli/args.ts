/**
 * Arguments of the dbghelp command, parsed with node:util.parseArgs (strict: unknown options and
 * missing values are usage errors, exit 2). Every subcommand declares its options here with
 * its help text, so `--help` and the parser cannot disagree.
 */
import { parseArgs as nodeParseArgs } from 'util';

export class UsageError extends Error {
  /** The subcommand whose `--help` the message points to. */
  command?: string;
}

type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };

export interface CommandSpec {
  name: string;
  usage: string;
  options: Record<string, OptionSpec>;
}

export interface ParsedArgs {
  positionals: string[];
  /** Boolean options given. */
  flags: Set<string>;
  /** String options: the last value given. */
  values: Map<string, string>;
  /** String options declared `multiple`: every value, in order. */
  lists: Map<string, string[]>;
  help: boolean;
}

/** Parses `argv` for `spec`; `--help`/`-h` sets `help` (the caller prints spec.usage). */
export function parseCommand(spec: CommandSpec, argv: string[]): ParsedArgs {
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({
      args: argv,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const u = new UsageError(oneLine(e));
    u.command = spec.name;
    throw u;
  }
  const out: ParsedArgs = { positionals: parsed.positionals, flags: new Set(), values: new Map(), lists: new Map(), help: false };
  for (const [k, v] of Object.entries(parsed.values)) {
    if (k === 'help') out.help = v === true;
    else if (v === true) out.flags.add(k);
    else if (Array.isArray(v)) {
      const strings = v.filter((x): x is string => typeof x === 'string');
      out.lists.set(k, strings);
      if (strings.length) out.values.set(k, strings[strings.length - 1]);
    } else if (typeof v === 'string') out.values.set(k, v);
  }
  return out;
}

/** node:util's messages, shortened to one line ("Unknown option '--bogus'"). */
function oneLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m
    .split('\n')[0]
    .replace(/\. To specify a positional argument.*$/, '')
    .replace(/\.$/, '');
}

/** Parses a hex (`0x...`) or decimal address into a bigint; a usage error otherwise. */
export function parseAddress(s: string): bigint {
  const v = tryAddress(s);
  if (v === undefined) throw new UsageError(/^\s*(0x[0-9a-f]+|[0-9]+)\s*$/i.test(s) ? `'${s}' does not fit in 64 bits` : `'${s}' is not an address (use hex like 0x140001000)`);
  return v;
}

/** The address `s` spells (hex `0x...` or decimal, surrounding blanks allowed), or undefined. */
export function tryAddress(s: string): bigint | undefined {
  const t = s.trim();
  if (!ADDRESS.test(t)) return undefined;
  const v = BigInt(t);
  return v > 0xffffffffffffffffn ? undefined : v;
}
const ADDRESS = /^(?:0[xX][0-9a-fA-F]{1,16}|[0-9]{1,20})$/;

export const hex = (v: bigint | number): `0x${string}` => `0x${v.toString(16)}`;

/** `--no-miss-cache`: the handler's symbol-server settings with the miss cache turned off. */
export function symbolServerOf(a: ParsedArgs): { missCacheTtlMs: number } | undefined {
  return a.flags.has('no-miss-cache') ? { missCacheTtlMs: 0 } : undefined;
}
