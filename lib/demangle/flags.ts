/**
 * UNDNAME_* flags of DbgHelp's UnDecorateSymbolName (values from dbghelp.h and
 * the DIA get_undecoratedNameEx table).
 *
 * dbghelp.h documents 0x2000 as UNDNAME_NO_ARGUMENTS and 0x4000 as
 * UNDNAME_NO_SPECIAL_SYMS; the undname engine inside dbghelp.dll reads 0x2000
 * as "type only" (decode the whole input as a type) and ignores 0x4000, and
 * undecorateSymbolName does what the DLL does. The engine calls 0x8000
 * UNDNAME_NO_ECSU ("suppress enum/class/struct/union"). `TYPE_ONLY` is kept
 * at 0x8000 only for API compatibility; it behaves as NO_ECSU.
 */
export const UndName = {
  COMPLETE: 0x0000,
  NO_LEADING_UNDERSCORES: 0x0001,
  NO_MS_KEYWORDS: 0x0002,
  NO_FUNCTION_RETURNS: 0x0004,
  NO_ALLOCATION_MODEL: 0x0008,
  NO_ALLOCATION_LANGUAGE: 0x0010,
  NO_MS_THISTYPE: 0x0020,
  NO_CV_THISTYPE: 0x0040,
  NO_THISTYPE: 0x0060,
  NO_ACCESS_SPECIFIERS: 0x0080,
  NO_THROW_SIGNATURES: 0x0100,
  NO_MEMBER_TYPE: 0x0200,
  NO_RETURN_UDT_MODEL: 0x0400,
  '32_BIT_DECODE': 0x0800,
  NAME_ONLY: 0x1000,
  NO_ARGUMENTS: 0x2000,
  NO_SPECIAL_SYMS: 0x4000,
  NO_ECSU: 0x8000,
  /** Not in dbghelp.h; same bit as NO_ECSU (see above). */
  TYPE_ONLY: 0x8000,
} as const;

export type UndNameFlag = (typeof UndName)[keyof typeof UndName];
