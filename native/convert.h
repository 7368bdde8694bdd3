// DbgHelp structs to the contract's JS shapes (lib/api/types.ts): SYMBOL_INFOW → SymbolInfo,
// IMAGEHLP_MODULEW64 → ModuleInfo, IMAGEHLP_LINEW64 → LineInfo. Addresses become BigInt.
#pragma once

#include <napi.h>

#include <string>

#include "dbghelp_decls.h"

namespace dbghelp {

// A JS string as a NUL-terminated UTF-16 string for the W functions.
std::u16string Wide(const Napi::Value &v);
inline const wchar_t *W(const std::u16string &s) { return reinterpret_cast<const wchar_t *>(s.c_str()); }
Napi::String JsString(Napi::Env env, const WCHAR *s);
Napi::String JsString(Napi::Env env, const WCHAR *s, size_t len);

uint64_t ToU64(const Napi::Value &v);  // BigInt (or Number) → ULONG64
inline Napi::BigInt Big(Napi::Env env, uint64_t v) { return Napi::BigInt::New(env, v); }

Napi::Object SymbolToJs(Napi::Env env, const SYMBOL_INFOW &s);
Napi::Object ModuleToJs(Napi::Env env, const IMAGEHLP_MODULEW64 &m);
// `displacement` is the queried address minus line.Address.
Napi::Object LineToJs(Napi::Env env, const IMAGEHLP_LINEW64 &l, uint64_t displacement);

// A SYMBOL_INFOW with room for the longest name DbgHelp returns (MAX_SYM_NAME = 2000).
struct SymbolBuffer {
  static constexpr ULONG kMaxName = 2000;
  alignas(8) unsigned char bytes[sizeof(SYMBOL_INFOW) + kMaxName * sizeof(WCHAR)];
  SymbolBuffer();
  SYMBOL_INFOW *get() { return reinterpret_cast<SYMBOL_INFOW *>(bytes); }
};

}  // namespace dbghelp
