// The part of dbghelp.h this addon uses, declared from Microsoft's documentation.
//
// mingw-w64's dbghelp.h lags the Windows SDK (no inline-frame API, SYMBOL_INFO::Index spelled
// `info`), so the addon declares what it calls itself: the structs with their SDK field names
// and sizes, and the W functions (imported from dbghelp.dll through mingw's libdbghelp.a, which
// exports all of them). Sizes are checked at compile time against the documented layouts.
#pragma once

#include <windows.h>
#include <oaidl.h>  // VARIANT (TI_GET_VALUE)

extern "C" {

// SYMBOL_INFOW (dbghelp.h): 88 bytes before Name on x64 and x86 (ULONG64 alignment).
struct SYMBOL_INFOW {
  ULONG SizeOfStruct;
  ULONG TypeIndex;
  ULONG64 Reserved[2];
  ULONG Index;
  ULONG Size;
  ULONG64 ModBase;
  ULONG Flags;
  ULONG64 Value;
  ULONG64 Address;
  ULONG Register;
  ULONG Scope;
  ULONG Tag;
  ULONG NameLen;
  ULONG MaxNameLen;
  WCHAR Name[1];
};

// SYM_TYPE (dbghelp.h).
typedef int SYM_TYPE;

// IMAGEHLP_MODULEW64 (dbghelp.h), the full layout of API version 7+ (SizeOfStruct 3264 on x64).
struct IMAGEHLP_MODULEW64 {
  DWORD SizeOfStruct;
  DWORD64 BaseOfImage;
  DWORD ImageSize;
  DWORD TimeDateStamp;
  DWORD CheckSum;
  DWORD NumSyms;
  SYM_TYPE SymType;
  WCHAR ModuleName[32];
  WCHAR ImageName[256];
  WCHAR LoadedImageName[256];
  WCHAR LoadedPdbName[256];
  DWORD CVSig;
  WCHAR CVData[MAX_PATH * 3];
  DWORD PdbSig;
  GUID PdbSig70;
  DWORD PdbAge;
  BOOL PdbUnmatched;
  BOOL DbgUnmatched;
  BOOL LineNumbers;
  BOOL GlobalSymbols;
  BOOL TypeInfo;
  BOOL SourceIndexed;
  BOOL Publics;
  DWORD MachineType;
  DWORD Reserved;
};

// IMAGEHLP_LINEW64 (dbghelp.h).
struct IMAGEHLP_LINEW64 {
  DWORD SizeOfStruct;
  PVOID Key;
  DWORD LineNumber;
  PWSTR FileName;
  DWORD64 Address;
};

// SRCCODEINFOW (dbghelp.h), what SymEnumLinesW reports.
struct SRCCODEINFOW {
  DWORD SizeOfStruct;
  PVOID Key;
  DWORD64 ModBase;
  WCHAR Obj[MAX_PATH + 1];
  WCHAR FileName[MAX_PATH + 1];
  DWORD LineNumber;
  DWORD64 Address;
};

// SOURCEFILEW (dbghelp.h).
struct SOURCEFILEW {
  DWORD64 ModBase;
  PWSTR FileName;
};

// IMAGEHLP_STACK_FRAME (dbghelp.h): SymSetContext takes one; only InstructionOffset matters.
struct IMAGEHLP_STACK_FRAME {
  ULONG64 InstructionOffset;
  ULONG64 ReturnOffset;
  ULONG64 FrameOffset;
  ULONG64 StackOffset;
  ULONG64 BackingStoreOffset;
  ULONG64 FuncTableEntry;
  ULONG64 Params[4];
  ULONG64 Reserved[5];
  BOOL Virtual;
  ULONG Reserved2;
};

#if defined(_WIN64)
static_assert(sizeof(IMAGEHLP_MODULEW64) == 3264, "IMAGEHLP_MODULEW64 layout");
#endif
static_assert(offsetof(SYMBOL_INFOW, Name) == 84, "SYMBOL_INFOW layout (88 with padding)");

typedef BOOL(CALLBACK *PSYM_ENUMERATESYMBOLS_CALLBACKW)(SYMBOL_INFOW *info, ULONG size, PVOID ctx);
typedef BOOL(CALLBACK *PSYMBOL_REGISTERED_CALLBACK64)(HANDLE process, ULONG action, ULONG64 data, ULONG64 ctx);
typedef BOOL(CALLBACK *PSYM_ENUMMODULES_CALLBACKW64)(PCWSTR module, DWORD64 base, PVOID ctx);
typedef BOOL(CALLBACK *PSYM_ENUMLINES_CALLBACKW)(SRCCODEINFOW *line, PVOID ctx);
typedef BOOL(CALLBACK *PSYM_ENUMSOURCEFILES_CALLBACKW)(SOURCEFILEW *file, PVOID ctx);

// SYMOPT_*, CBA_* (dbghelp.h).
constexpr DWORD SYMOPT_DEFERRED_LOADS = 0x00000004;
constexpr DWORD SYMOPT_LOAD_LINES = 0x00000010;
constexpr ULONG CBA_DEFERRED_SYMBOL_LOAD_CANCEL = 0x00000007;
constexpr ULONG CBA_DEBUG_INFO = 0x10000000;

// IMAGEHLP_SYMBOL_TYPE_INFO values used by SymGetTypeInfo (dbghelp.h).
enum IMAGEHLP_SYMBOL_TYPE_INFO {
  TI_GET_SYMTAG = 0,
  TI_GET_SYMNAME = 1,
  TI_GET_LENGTH = 2,
  TI_GET_TYPE = 3,
  TI_GET_TYPEID = 4,
  TI_GET_BASETYPE = 5,
  TI_GET_ARRAYINDEXTYPEID = 6,
  TI_FINDCHILDREN = 7,
  TI_GET_DATAKIND = 8,
  TI_GET_ADDRESSOFFSET = 9,
  TI_GET_OFFSET = 10,
  TI_GET_VALUE = 11,
  TI_GET_COUNT = 12,
  TI_GET_CHILDRENCOUNT = 13,
  TI_GET_BITPOSITION = 14,
  TI_GET_VIRTUALBASECLASS = 15,
  TI_GET_VIRTUALTABLESHAPEID = 16,
  TI_GET_VIRTUALBASEPOINTEROFFSET = 17,
  TI_GET_CLASSPARENTID = 18,
  TI_GET_NESTED = 19,
  TI_GET_SYMINDEX = 20,
  TI_GET_LEXICALPARENT = 21,
  TI_GET_ADDRESS = 22,
  TI_GET_THISADJUST = 23,
  TI_GET_UDTKIND = 24,
  TI_IS_EQUIV_TO = 25,
  TI_GET_CALLING_CONVENTION = 26,
};

#define DBGHELP_API __declspec(dllimport) BOOL WINAPI

DBGHELP_API SymInitializeW(HANDLE process, PCWSTR searchPath, BOOL invade);
DBGHELP_API SymCleanup(HANDLE process);
__declspec(dllimport) DWORD WINAPI SymSetOptions(DWORD options);
__declspec(dllimport) DWORD WINAPI SymGetOptions(void);
DBGHELP_API SymSetSearchPathW(HANDLE process, PCWSTR path);
DBGHELP_API SymGetSearchPathW(HANDLE process, PWSTR path, DWORD size);
__declspec(dllimport) DWORD64 WINAPI SymLoadModuleExW(HANDLE process, HANDLE file, PCWSTR image, PCWSTR module,
                                                      DWORD64 base, DWORD size, PVOID data, DWORD flags);
DBGHELP_API SymUnloadModule64(HANDLE process, DWORD64 base);
DBGHELP_API SymGetModuleInfoW64(HANDLE process, DWORD64 addr, IMAGEHLP_MODULEW64 *info);
DBGHELP_API SymFromAddrW(HANDLE process, DWORD64 addr, PDWORD64 displacement, SYMBOL_INFOW *info);
DBGHELP_API SymFromNameW(HANDLE process, PCWSTR name, SYMBOL_INFOW *info);
DBGHELP_API SymEnumSymbolsW(HANDLE process, ULONG64 base, PCWSTR mask, PSYM_ENUMERATESYMBOLS_CALLBACKW cb, PVOID ctx);
DBGHELP_API SymGetTypeFromNameW(HANDLE process, ULONG64 base, PCWSTR name, SYMBOL_INFOW *info);
DBGHELP_API SymGetLineFromAddrW64(HANDLE process, DWORD64 addr, PDWORD displacement, IMAGEHLP_LINEW64 *line);
DBGHELP_API SymGetLineNextW64(HANDLE process, IMAGEHLP_LINEW64 *line);
DBGHELP_API SymGetLinePrevW64(HANDLE process, IMAGEHLP_LINEW64 *line);
DBGHELP_API SymGetLineFromNameW64(HANDLE process, PCWSTR module, PCWSTR file, DWORD line, PLONG displacement,
                                  IMAGEHLP_LINEW64 *out);
DBGHELP_API SymEnumLinesW(HANDLE process, ULONG64 base, PCWSTR obj, PCWSTR file, PSYM_ENUMLINES_CALLBACKW cb, PVOID ctx);
DBGHELP_API SymEnumSourceFilesW(HANDLE process, ULONG64 base, PCWSTR mask, PSYM_ENUMSOURCEFILES_CALLBACKW cb, PVOID ctx);
DBGHELP_API SymEnumerateModulesW64(HANDLE process, PSYM_ENUMMODULES_CALLBACKW64 cb, PVOID ctx);
DBGHELP_API SymRegisterCallbackW64(HANDLE process, PSYMBOL_REGISTERED_CALLBACK64 cb, ULONG64 ctx);
DBGHELP_API SymGetTypeInfo(HANDLE process, DWORD64 base, ULONG typeId, IMAGEHLP_SYMBOL_TYPE_INFO what, PVOID out);
DBGHELP_API SymEnumTypesByNameW(HANDLE process, ULONG64 base, PCWSTR mask, PSYM_ENUMERATESYMBOLS_CALLBACKW cb, PVOID ctx);
DBGHELP_API SymEnumTypesW(HANDLE process, ULONG64 base, PSYM_ENUMERATESYMBOLS_CALLBACKW cb, PVOID ctx);
DBGHELP_API SymSetContext(HANDLE process, IMAGEHLP_STACK_FRAME *frame, PVOID context);
DBGHELP_API SymSetScopeFromAddr(HANDLE process, ULONG64 addr);
DBGHELP_API SymFindFileInPathW(HANDLE process, PCWSTR searchPath, PCWSTR fileName, PVOID id, DWORD two, DWORD three,
                               DWORD flags, PWSTR found, PVOID callback, PVOID ctx);
__declspec(dllimport) PWSTR WINAPI SymSetHomeDirectoryW(HANDLE process, PCWSTR dir);
__declspec(dllimport) PWSTR WINAPI SymGetHomeDirectoryW(DWORD type, PWSTR dir, size_t size);

#undef DBGHELP_API
}

// The inline-frame API (dbghelp 6.2+, Windows 8) is looked up at run time: older dbghelp.dll
// files lack it, and mingw's i686 import library does not list it. Null when absent.
struct InlineApi {
  DWORD(WINAPI *AddrIncludeInlineTrace)(HANDLE process, DWORD64 addr);
  BOOL(WINAPI *QueryInlineTrace)(HANDLE process, DWORD64 start, DWORD startContext, DWORD64 retAddr, DWORD64 cur,
                                 LPDWORD curContext, LPDWORD curFrameIndex);
  BOOL(WINAPI *FromInlineContextW)(HANDLE process, DWORD64 addr, ULONG inlineContext, PDWORD64 displacement,
                                   SYMBOL_INFOW *info);
  BOOL(WINAPI *GetLineFromInlineContextW)(HANDLE process, DWORD64 addr, ULONG inlineContext, DWORD64 moduleBase,
                                          PDWORD displacement, IMAGEHLP_LINEW64 *line);
  BOOL(WINAPI *SetScopeFromInlineContext)(HANDLE process, ULONG64 addr, ULONG inlineContext);
};

inline const InlineApi &Inline() {
  static const InlineApi api = [] {
    InlineApi a{};
    HMODULE m = GetModuleHandleW(L"dbghelp.dll");
    if (m) {
      a.AddrIncludeInlineTrace = reinterpret_cast<decltype(a.AddrIncludeInlineTrace)>(
          reinterpret_cast<void *>(GetProcAddress(m, "SymAddrIncludeInlineTrace")));
      a.QueryInlineTrace = reinterpret_cast<decltype(a.QueryInlineTrace)>(
          reinterpret_cast<void *>(GetProcAddress(m, "SymQueryInlineTrace")));
      a.FromInlineContextW = reinterpret_cast<decltype(a.FromInlineContextW)>(
          reinterpret_cast<void *>(GetProcAddress(m, "SymFromInlineContextW")));
      a.GetLineFromInlineContextW = reinterpret_cast<decltype(a.GetLineFromInlineContextW)>(
          reinterpret_cast<void *>(GetProcAddress(m, "SymGetLineFromInlineContextW")));
      a.SetScopeFromInlineContext = reinterpret_cast<decltype(a.SetScopeFromInlineContext)>(
          reinterpret_cast<void *>(GetProcAddress(m, "SymSetScopeFromInlineContext")));
    }
    return a;
  }();
  return api;
}
