/**
 * DbgHelp's symbol masks (SymEnumSymbols, SymFromName, SymEnumTypesByName), as Microsoft's
 * dbghelp.dll 10.0.19041.685 matches them (the Wine lane's conformance suite): `*` any run, `?`
 * one character, `[dn]` / `[d-e]` one character of a class (no negation: `[^d]` is `^` or `d`),
 * `\x` the character x itself. What the DLL never matches: an empty class (`[]`, so
 * `operator delete[]` as a mask finds nothing), a `]` outside a class, a `[` inside one or one
 * left open, a trailing `\`. Case-insensitive under SYMOPT_CASE_INSENSITIVE.
 *
 * `literal`: a name equal to the mask matches too, whatever it holds (SymEnumSymbols lists the
 * `operator delete[]` symbols for that mask; SymFromName does not find them).
 */
export function compileMask(mask: string, caseInsensitive: boolean, literal = false): (name: string) => boolean {
  if (mask === '*' || mask === '') return () => true;
  const fold = (s: string) => (caseInsensitive ? s.toLowerCase() : s);
  if (!/[*?[\]\\]/.test(mask)) {
    const m = fold(mask);
    return (n) => fold(n) === m;
  }
  const re = maskRegExp(mask, caseInsensitive);
  if (!literal) return (n) => re.test(n);
  const m = fold(mask);
  return (n) => fold(n) === m || re.test(n);
}

/** Whether a name holds a mask character (SymFromName then matches it as a mask). */
export function isMask(name: string): boolean {
  return /[*?[\]\\]/.test(name);
}

const NEVER = /(?!)/;
const escape = (c: string) => c.replace(/[.+^${}()|[\]\\*?/-]/g, '\\$&');

function maskRegExp(mask: string, caseInsensitive: boolean): RegExp {
  let src = '';
  for (let i = 0; i < mask.length; i++) {
    const c = mask[i];
    if (c === '*') src += '.*';
    else if (c === '?') src += '.';
    else if (c === '\\') {
      if (i + 1 >= mask.length) return NEVER;
      src += escape(mask[++i]);
    } else if (c === ']') return NEVER;
    else if (c === '[') {
      const end = mask.indexOf(']', i + 1);
      const body = end < 0 ? '' : mask.slice(i + 1, end);
      if (!body || body.includes('[')) return NEVER;
      let cls = '';
      for (let k = 0; k < body.length; k++) {
        if (body[k + 1] === '-' && k + 2 < body.length) {
          cls += `${escape(body[k])}-${escape(body[k + 2])}`;
          k += 2;
        } else cls += escape(body[k]);
      }
      src += `[${cls}]`;
      i = end;
    } else src += escape(c);
  }
  try {
    return new RegExp(`^${src}$`, caseInsensitive ? 'is' : 's');
  } catch {
    return NEVER; // a range out of order (`[e-a]`)
  }
}

/** Splits `module!rest` (the first `!`); no `!` means any module. */
export function splitModule(s: string): { module: string | undefined; rest: string } {
  const i = s.indexOf('!');
  return i < 0 ? { module: undefined, rest: s } : { module: s.slice(0, i), rest: s.slice(i + 1) };
}
