/**
 * Why a portable module has the symbols it has (lib/api/module-status.ts): what the symbol
 * search saw while looking for an image's PDB, turned into one ModuleStatus.
 *
 * When nothing matching was found, the most useful reason wins: a store that could not answer
 * (the file may be there), then a file found but unreadable, then a file found that did not
 * match, then "not found".
 */
import type { ModuleStatus, SymbolFileIdentity } from '../api/module-status';
import { PdbFile } from '../formats/pdb/pdb-file';
import type { CodeViewRecord } from '../formats/pe/debug-directory';
import { PeImage } from '../formats/pe/pe-image';
import { imageKey, nb10Key, pdbKey } from '../symsrv/keys';
import { baseName } from '../symsrv/paths';
import type { SearchRequest } from '../symsrv/search';

const NOT_VALID = 'not a valid file: ';

/** The identity an image's CodeView record asks for. */
export function wantedPdb(fileName: string, cv: CodeViewRecord | undefined, codeId?: string): SymbolFileIdentity {
  const debugId = !cv ? undefined : cv.signature === 'RSDS' ? pdbKey(cv.guid, cv.age) : nb10Key(cv.timestamp, cv.age);
  return { name: fileName, ...(debugId ? { debugId } : {}), ...(codeId ? { codeId } : {}) };
}

/** The identity a PDB on disk has (its debug id from the info stream's GUID and the DBI age). */
export function pdbIdentity(path: string): SymbolFileIdentity {
  try {
    const pdb = PdbFile.open(path);
    try {
      const debugId = pdb.info.guid !== '00000000-0000-0000-0000-000000000000' ? pdbKey(pdb.info.guid, pdb.matchAge) : nb10Key(pdb.info.signature, pdb.matchAge);
      return { name: baseName(path), debugId, path };
    } finally {
      pdb.close();
    }
  } catch {
    return { name: baseName(path), path };
  }
}

/** Collects what one search saw (SearchRequest's observers) and answers the status. */
export class SearchObserver {
  readonly searched: string[] = [];
  private unavailable: { server: string; reason: string } | undefined;
  private mismatch: { file: string; reason: string } | undefined;
  private malformed: { file: string; reason: string } | undefined;

  readonly callbacks: Pick<SearchRequest, 'onMismatch' | 'onNotFound' | 'onUnavailable'> = {
    onNotFound: (where) => {
      this.searched.push(where);
    },
    onMismatch: (file, reason) => {
      this.searched.push(file);
      // identify.ts says "not a valid file: <error>" for a candidate it could not read.
      if (reason.startsWith(NOT_VALID)) this.malformed ??= { file, reason: reason.slice(NOT_VALID.length) };
      else this.mismatch ??= { file, reason };
    },
    onUnavailable: (server, reason, tried) => {
      this.searched.push(tried);
      this.unavailable ??= { server, reason };
    },
  };

  /**
   * The status of a search that found nothing usable. `searched` defaults to what this search
   * looked at; `kind` says whether an image or a symbol file was wanted.
   */
  missing(wanted: SymbolFileIdentity, searched: string[] = this.searched, kind: 'symbols' | 'image' = 'symbols'): ModuleStatus {
    if (this.unavailable) {
      const { server, reason } = this.unavailable;
      const code = /\bHTTP (\d{3})\b/.exec(reason);
      return { kind: 'unavailable', wanted, server, reason, ...(code ? { httpStatus: Number(code[1]) } : {}) };
    }
    if (this.malformed) return { kind: 'malformed', path: this.malformed.file, error: this.malformed.reason };
    if (this.mismatch) return { kind: 'mismatched', wanted, found: fileIdentity(this.mismatch.file) };
    return kind === 'image' ? { kind: 'image-missing', image: wanted, searched: [...searched] } : { kind: 'symbols-missing', wanted, searched: [...searched] };
  }
}

/** The identity of a file found on disk: a PDB's debug id, an image's code id (best effort). */
export function fileIdentity(path: string): SymbolFileIdentity {
  if (/\.pdb$/i.test(path)) return pdbIdentity(path);
  try {
    const img = PeImage.open(path);
    try {
      return { name: baseName(path), codeId: imageKey(img.timeDateStamp, img.sizeOfImage).toUpperCase(), path };
    } finally {
      img.close();
    }
  } catch {
    return { name: baseName(path), path };
  }
}
