/**
 * Which dbghelp.dll a process loaded, told from the image mapped in memory (its version
 * resource, VS_VERSION_INFO), never from the file at the module's path: under Wine the path names
 * the file beside node.exe even when Wine loaded its own builtin instead (without the `=n` DLL
 * override), so the file on disk can be Microsoft's while the code running is Wine's.
 * Microsoft's says FileDescription "Windows Image Helper"; Wine's "Wine Image Helper".
 *
 * Wine's dbghelp.dll is a reimplementation; some of its exports are stubs that abort the whole
 * process when called ("wine: Call from ... to unimplemented function dbghelp.dll.SymEnumLinesW,
 * aborting"), so the handler refuses them with UNSUPPORTED instead. Found by calling each
 * function the backends use under Wine 8.0 (scripts/windows/probe-stubs.js).
 */
export const WINE_DBGHELP_STUBS: ReadonlySet<string> = new Set(['SymEnumLinesW', 'SymGetHomeDirectoryW', 'SymGetTypeFromNameW']);

export type DllKind = 'microsoft' | 'wine' | 'unknown';

/** The dbghelp.dll in memory: whose it is, its FileDescription and its file version. */
export interface DllImage {
  kind: DllKind;
  description?: string;
  /** VS_FIXEDFILEINFO's file version, `10.0.19041.685`. */
  version?: string;
}

const VS_FFI_SIGNATURE = 0xfeef04bd;

/** Reads a version resource (the bytes FindResource/LoadResource give for RT_VERSION id 1). */
export function identifyDll(resource: Uint8Array | undefined): DllImage {
  if (!resource || resource.length < 8) return { kind: 'unknown' };
  const b = Buffer.from(resource.buffer, resource.byteOffset, resource.byteLength);
  const out: DllImage = { kind: 'unknown' };
  // VS_FIXEDFILEINFO: dwSignature, dwStrucVersion, dwFileVersionMS, dwFileVersionLS, ... (4-byte aligned)
  for (let i = 0; i + 16 <= b.length; i += 4) {
    if (b.readUInt32LE(i) === VS_FFI_SIGNATURE) {
      const ms = b.readUInt32LE(i + 8);
      const ls = b.readUInt32LE(i + 12);
      out.version = `${ms >>> 16}.${ms & 0xffff}.${ls >>> 16}.${ls & 0xffff}`;
      break;
    }
  }
  // StringFileInfo: "FileDescription\0" then (aligned to 4) the value, both UTF-16.
  const text = b.toString('utf16le', 0, b.length & ~1);
  const key = text.indexOf('FileDescription\0');
  if (key >= 0) {
    let v = key + 'FileDescription\0'.length;
    while (v < text.length && text[v] === '\0') v++;
    const end = text.indexOf('\0', v);
    out.description = text.slice(v, end < 0 ? undefined : end);
  }
  if (out.description === 'Wine Image Helper' || /\bWine\b/.test(out.description ?? '')) out.kind = 'wine';
  else if (out.description === 'Windows Image Helper') out.kind = 'microsoft';
  return out;
}

/** The dbghelp.dll functions that must not be called in this process. */
export function unusableFunctions(image: DllImage): ReadonlySet<string> {
  return image.kind === 'wine' ? WINE_DBGHELP_STUBS : new Set();
}
