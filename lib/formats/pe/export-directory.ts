/**
 * IMAGE_EXPORT_DIRECTORY (winnt.h), 40 bytes, and the three tables it points to:
 * AddressOfFunctions (NumberOfFunctions RVAs, indexed by ordinal - Base), AddressOfNames
 * (NumberOfNames name RVAs, sorted) and AddressOfNameOrdinals (NumberOfNames u16 indexes into
 * the function table). A function RVA inside the export data directory's own range is not code
 * but a forwarder string such as "NTDLL.RtlAllocateHeap". A zero function RVA is an unused slot
 * (lld leaves ordinal 0 empty when Base is 0) and is not an export.
 */
import { Cursor } from '../binary/cursor';
import { Rva, rva } from '../binary/address';

export const IMAGE_EXPORT_DIRECTORY_SIZE = 40;

export interface ExportEntry {
  ordinal: number;
  /** undefined for an export by ordinal only. */
  name: string | undefined;
  rva: Rva;
  /** "DLL.Function" or "DLL.#ordinal" when the export is forwarded. */
  forwarder: string | undefined;
}

export interface ExportDirectory {
  dllName: string;
  timeDateStamp: number;
  ordinalBase: number;
  entries: ExportEntry[];
}

export interface ExportDirectoryHeader {
  readonly timeDateStamp: number;
  readonly majorVersion: number;
  readonly minorVersion: number;
  readonly name: Rva;
  readonly base: number;
  readonly numberOfFunctions: number;
  readonly numberOfNames: number;
  readonly addressOfFunctions: Rva;
  readonly addressOfNames: Rva;
  readonly addressOfNameOrdinals: Rva;
}

export function readExportDirectoryHeader(c: Cursor): ExportDirectoryHeader {
  c.need(IMAGE_EXPORT_DIRECTORY_SIZE, 'IMAGE_EXPORT_DIRECTORY');
  c.skip(4); // Characteristics
  return {
    timeDateStamp: c.u32(),
    majorVersion: c.u16(),
    minorVersion: c.u16(),
    name: rva(c.u32()),
    base: c.u32(),
    numberOfFunctions: c.u32(),
    numberOfNames: c.u32(),
    addressOfFunctions: rva(c.u32()),
    addressOfNames: rva(c.u32()),
    addressOfNameOrdinals: rva(c.u32()),
  };
}

/** What the export reader needs from the image: bounds-checked reads at RVAs. */
export interface RvaReader {
  readAtRva(at: Rva, length: number, what: string, refOffset?: number): Cursor;
  cstringAtRva(at: Rva, what: string, refOffset?: number, limit?: number): string;
}

/**
 * The exports of an image. `dir` is the export data directory (its range decides what is a
 * forwarder). Table sizes are checked against the file before any loop runs, so a corrupt
 * count fails at once instead of hanging.
 */
export function readExports(img: RvaReader, dir: { rva: Rva; size: number }): ExportDirectory {
  const hc = img.readAtRva(dir.rva, IMAGE_EXPORT_DIRECTORY_SIZE, 'IMAGE_EXPORT_DIRECTORY');
  const headerAt = hc.offset;
  const h = readExportDirectoryHeader(hc);
  const at = (field: number) => headerAt + field;

  const dllName = h.name === 0 ? '' : img.cstringAtRva(h.name, 'export DLL name', at(12));

  const nf = h.numberOfFunctions;
  const nn = h.numberOfNames;
  const funcs = nf === 0 ? undefined : img.readAtRva(h.addressOfFunctions, nf * 4, `export address table (${nf} entries)`, at(28));
  const names = nn === 0 ? undefined : img.readAtRva(h.addressOfNames, nn * 4, `export name table (${nn} entries)`, at(32));
  const ords = nn === 0 ? undefined : img.readAtRva(h.addressOfNameOrdinals, nn * 2, `export ordinal table (${nn} entries)`, at(36));

  // Names per function index, in name-table order.
  const namesOf = new Map<number, string[]>();
  if (names && ords) {
    for (let i = 0; i < nn; i++) {
      const ordAt = ords.offset;
      const index = ords.u16();
      if (index >= nf) ords.fail(`export name ordinal index ${index} is past the ${nf}-entry address table`, ordAt);
      const nameAt = names.offset;
      const name = img.cstringAtRva(rva(names.u32()), 'export name', nameAt);
      const list = namesOf.get(index);
      if (list) list.push(name);
      else namesOf.set(index, [name]);
    }
  }

  const dirEnd = dir.rva + dir.size;
  const entries: ExportEntry[] = [];
  if (funcs) {
    for (let i = 0; i < nf; i++) {
      const slotAt = funcs.offset;
      const r = rva(funcs.u32());
      const named = namesOf.get(i);
      if (r === 0 && !named) continue; // unused slot
      const forwarder = r >= dir.rva && r < dirEnd ? forwarderAt(img, r, dirEnd, slotAt) : undefined;
      const ordinal = h.base + i;
      if (named) for (const name of named) entries.push({ ordinal, name, rva: r, forwarder });
      else entries.push({ ordinal, name: undefined, rva: r, forwarder });
    }
  }
  return { dllName, timeDateStamp: h.timeDateStamp, ordinalBase: h.base, entries };
}

/** A forwarder string: NUL-terminated inside the export directory's range. */
function forwarderAt(img: RvaReader, r: Rva, dirEnd: number, refOffset: number): string {
  return img.cstringAtRva(r, 'export forwarder string', refOffset, dirEnd - r);
}
