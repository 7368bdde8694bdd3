/**
 * The contract's data shapes: SYMBOL_INFO, IMAGEHLP_MODULE64 and IMAGEHLP_LINE64 in camelCase.
 */

/** SYMBOL_INFO, field for field. Addresses are bigint (ULONG64). */
export interface SymbolInfo {
  /** TypeIndex: the TPI type of the symbol (0 when it has none, e.g. publics). */
  typeIndex: number;
  /** Index: the symbol's unique id inside its module (for DbgHelp, a DIA symbol id). */
  index: number;
  /** Size in bytes (0 when unknown, as for publics). */
  size: number;
  modBase: bigint;
  /** SYMFLAG_* bits. */
  flags: number;
  /** Value: for constants their value, else the address. */
  value: bigint;
  address: bigint;
  /** Register (CV_HREG_e) for register-relative symbols, else 0. */
  register: number;
  /** Scope: tag of the lexical parent (0 unless set). */
  scope: number;
  /** SymTagEnum. */
  tag: number;
  nameLen: number;
  name: string;
}

/** IMAGEHLP_MODULE64. */
export interface ModuleInfo {
  baseOfImage: bigint;
  imageSize: number;
  timeDateStamp: number;
  checkSum: number;
  numSyms: number;
  /** SYM_TYPE: SymPdb, SymExport, SymDeferred... */
  symType: number;
  moduleName: string;
  imageName: string;
  loadedImageName: string;
  loadedPdbName: string;
  /** CodeView signature: 0x53445352 ('RSDS') or 0x3031424e ('NB10'), 0 without one. */
  cvSig: number;
  /** CvData: the PDB path the image's debug directory names. */
  cvData: string;
  /** PdbSig70: the GUID, upper-case with dashes (all zeros when none). */
  pdbSig70: string;
  pdbAge: number;
  pdbUnmatched: boolean;
  dbgUnmatched: boolean;
  lineNumbers: boolean;
  globalSymbols: boolean;
  typeInfo: boolean;
  sourceIndexed: boolean;
  publics: boolean;
  machineType: number;
}

/** IMAGEHLP_LINE64. */
export interface LineInfo {
  fileName: string;
  lineNumber: number;
  address: bigint;
  /** Displacement of the queried address from `address`. */
  displacement: number;
}

export interface InitializeOptions {
  /** SymInitialize's UserSearchPath: null means the default (module directory). */
  searchPath?: string | null;
  invadeProcess?: boolean;
  /** SYMOPT_* to set right after initialization. */
  options?: number;
}

export interface LoadModuleOptions {
  baseAddress?: bigint;
  size?: number;
  moduleName?: string;
  /** A PDB to use instead of searching for one (still checked against the image). */
  pdbPath?: string;
  signal?: AbortSignal;
}

export interface EnumSymbolsOptions {
  /** Module base; 0n/undefined means every module (or the one `mask` names with `mod!`). */
  base?: bigint;
  /** DbgHelp wildcard mask (`*`, `?`), optionally `module!mask`. */
  mask?: string;
}

export interface FromAddrResult {
  symbol: SymbolInfo;
  displacement: bigint;
}

/** What every backend implements; SymbolHandler delegates to one of these. */
export interface BackendHandler {
  setSearchPath(p: string | null): void;
  getSearchPath(): string;
  setOptions(o: number): number;
  getOptions(): number;
  loadModule(imagePath: string, opts: LoadModuleOptions): Promise<bigint>;
  unloadModule(base: bigint): void;
  getModuleInfo(address: bigint): ModuleInfo | undefined;
  fromAddr(address: bigint): FromAddrResult | undefined;
  fromName(name: string): SymbolInfo | undefined;
  enumSymbols(opts: EnumSymbolsOptions): IterableIterator<SymbolInfo>;
  getTypeFromName(base: bigint, name: string): SymbolInfo | undefined;
  getLineFromAddr(address: bigint): LineInfo | undefined;
  cleanup(): void;
  onDebug(listener: ((line: string) => void) | undefined): void;
}
