/**
 * What a symbol search (lib/symsrv/search.ts) did, read from its log lines, whose wording that
 * file documents (DbgHelp's): where it looked, which store could not answer and why, which
 * candidates did not match. The dump loader turns this into a ModuleStatus.
 *
 *   DBGHELP: <path> - file not found            searched
 *   DBGHELP: <path> - mismatched <word>         mismatched (the file is also reported to onMismatch)
 *   SYMSRV: <location> not found                searched
 *   SYMSRV: <location> - <reason>               a store that could not answer (unavailable)
 *   SYMSRV: HttpQueryInfo: <HRESULT> - <name>   the HTTP store's answer (0x8019xxxx: HTTP status xxxx),
 *                                               kept for the next "unavailable" line
 *   SYMSRV: HTTPGET: <path>                     a request (ignored)
 */
export interface Unavailable {
  /** The store's root (`http://host/sym`) when the location names it, else the location. */
  server: string;
  reason: string;
  httpStatus?: number;
}

export class SearchTrace {
  readonly searched: string[] = [];
  readonly unavailable: Unavailable[] = [];
  readonly mismatched: { file: string; reason: string }[] = [];

  constructor(
    private readonly fileName: string,
    private readonly key: string | undefined,
    private readonly forward?: (line: string) => void,
  ) {}

  readonly line = (l: string): void => {
    this.forward?.(l);
    let m = /^DBGHELP: (.*) - file not found$/.exec(l) ?? /^SYMSRV: (.*) not found$/.exec(l);
    if (m) {
      this.searched.push(m[1]);
      return;
    }
    if (/^DBGHELP: .* - mismatched \w+$/.test(l) || /^SYMSRV: HTTPGET: /.test(l)) return;
    m = /^SYMSRV: HttpQueryInfo: ([0-9a-fA-F]+) - (\S+)/.exec(l);
    if (m) {
      const hr = parseInt(m[1], 16);
      if (hr >>> 16 === 0x8019) this.lastHttp = { status: hr & 0xffff, name: m[2] };
      return;
    }
    m = /^SYMSRV: (.+?) - (.*)$/.exec(l);
    if (m && !/ - copied$/.test(l)) {
      const inReason = /^HTTP (\d{3})\b/.exec(m[2]);
      const http = inReason ? undefined : this.lastHttp;
      this.lastHttp = undefined;
      this.searched.push(m[1]);
      this.unavailable.push({
        server: this.storeRoot(m[1]),
        reason: http ? `HTTP ${http.status} (${http.name}): ${m[2]}` : m[2],
        httpStatus: inReason ? Number(inReason[1]) : http?.status,
      });
    }
  };
  private lastHttp: { status: number; name: string } | undefined;

  readonly mismatch = (file: string, reason: string): void => {
    this.mismatched.push({ file, reason });
  };

  /** `http://h/sym/a.pdb/KEY/a.pdb` and `http://h/sym/index2.txt` → `http://h/sym`. */
  private storeRoot(location: string): string {
    if (/[\\/]index2\.txt$/i.test(location)) return location.slice(0, -'/index2.txt'.length);
    const parts = location.split(/[\\/]/);
    const i = parts.length - 3;
    if (i > 0 && parts[i].toLowerCase() === this.fileName.toLowerCase() && (this.key === undefined || parts[i + 1].toUpperCase() === this.key.toUpperCase())) {
      return location.slice(0, location.length - parts.slice(i).join('/').length - 1);
    }
    return location;
  }
}
