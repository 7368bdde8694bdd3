/**
 * DbgHelp's symbol masks (SymEnumSymbols, SymMatchString): `*` matches any run, `?` one
 * character; everything else is literal. Case-insensitive under SYMOPT_CASE_INSENSITIVE.
 */
export function compileMask(mask: string, caseInsensitive: boolean): (name: string) => boolean {
  if (mask === '*' || mask === '') return () => true;
  if (!/[*?]/.test(mask)) {
    if (!caseInsensitive) return (n) => n === mask;
    const m = mask.toLowerCase();
    return (n) => n.toLowerCase() === m;
  }
  const src = mask
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  const re = new RegExp(`^${src}$`, caseInsensitive ? 'is' : 's');
  return (n) => re.test(n);
}

/** Splits `module!rest` (the first `!`); no `!` means any module. */
export function splitModule(s: string): { module: string | undefined; rest: string } {
  const i = s.indexOf('!');
  return i < 0 ? { module: undefined, rest: s } : { module: s.slice(0, i), rest: s.slice(i + 1) };
}
