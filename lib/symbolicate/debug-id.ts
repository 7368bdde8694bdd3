/**
 * Debug ids as crash services write them for PDBs (Breakpad, Tecken, `dbghelp info`): the GUID
 * as 32 hex digits without dashes, then the age in hex (`3249D99D0C4049318610F4E4FB0B69361`).
 */

/** GUID (upper case, dashed) and age of a debug id; undefined when `id` is not one. */
export function splitDebugId(id: string): { guid: string; age: number } | undefined {
  const t = id.replace(/[{}-]/g, '');
  if (!/^[0-9a-f]{33,40}$/i.test(t)) return undefined;
  const age = parseInt(t.slice(32), 16);
  if (age > 0xffffffff) return undefined;
  const g = t.slice(0, 32).toUpperCase();
  return { guid: `${g.slice(0, 8)}-${g.slice(8, 12)}-${g.slice(12, 16)}-${g.slice(16, 20)}-${g.slice(20)}`, age };
}
