#include "convert.h"

#include <cstring>

namespace dbghelp {

std::u16string Wide(const Napi::Value &v) { return v.As<Napi::String>().Utf16Value(); }

Napi::String JsString(Napi::Env env, const WCHAR *s) {
  return Napi::String::New(env, reinterpret_cast<const char16_t *>(s), wcslen(s));
}

Napi::String JsString(Napi::Env env, const WCHAR *s, size_t len) {
  return Napi::String::New(env, reinterpret_cast<const char16_t *>(s), wcsnlen(s, len));
}

uint64_t ToU64(const Napi::Value &v) {
  if (v.IsBigInt()) {
    bool lossless = true;
    return v.As<Napi::BigInt>().Uint64Value(&lossless);
  }
  return static_cast<uint64_t>(v.As<Napi::Number>().Int64Value());
}

SymbolBuffer::SymbolBuffer() {
  std::memset(bytes, 0, sizeof bytes);
  get()->SizeOfStruct = sizeof(SYMBOL_INFOW);
  get()->MaxNameLen = kMaxName;
}

Napi::Object SymbolToJs(Napi::Env env, const SYMBOL_INFOW &s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("typeIndex", s.TypeIndex);
  o.Set("index", s.Index);
  o.Set("size", s.Size);
  o.Set("modBase", Big(env, s.ModBase));
  o.Set("flags", s.Flags);
  o.Set("value", Big(env, s.Value));
  o.Set("address", Big(env, s.Address));
  o.Set("register", s.Register);
  o.Set("scope", s.Scope);
  o.Set("tag", s.Tag);
  o.Set("nameLen", s.NameLen);
  o.Set("name", JsString(env, s.Name, s.NameLen));
  return o;
}

static std::string GuidString(const GUID &g) {
  char buf[40];
  snprintf(buf, sizeof buf, "%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X", static_cast<unsigned long>(g.Data1),
           g.Data2, g.Data3, g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6],
           g.Data4[7]);
  return buf;
}

Napi::Object ModuleToJs(Napi::Env env, const IMAGEHLP_MODULEW64 &m) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("baseOfImage", Big(env, m.BaseOfImage));
  o.Set("imageSize", m.ImageSize);
  o.Set("timeDateStamp", m.TimeDateStamp);
  o.Set("checkSum", m.CheckSum);
  o.Set("numSyms", m.NumSyms);
  o.Set("symType", m.SymType);
  o.Set("moduleName", JsString(env, m.ModuleName, 32));
  o.Set("imageName", JsString(env, m.ImageName, 256));
  o.Set("loadedImageName", JsString(env, m.LoadedImageName, 256));
  o.Set("loadedPdbName", JsString(env, m.LoadedPdbName, 256));
  o.Set("cvSig", m.CVSig);
  o.Set("cvData", JsString(env, m.CVData, MAX_PATH * 3));
  o.Set("pdbSig70", GuidString(m.PdbSig70));
  o.Set("pdbAge", m.PdbAge);
  o.Set("pdbUnmatched", m.PdbUnmatched != FALSE);
  o.Set("dbgUnmatched", m.DbgUnmatched != FALSE);
  o.Set("lineNumbers", m.LineNumbers != FALSE);
  o.Set("globalSymbols", m.GlobalSymbols != FALSE);
  o.Set("typeInfo", m.TypeInfo != FALSE);
  o.Set("sourceIndexed", m.SourceIndexed != FALSE);
  o.Set("publics", m.Publics != FALSE);
  o.Set("machineType", m.MachineType);
  return o;
}

Napi::Object LineToJs(Napi::Env env, const IMAGEHLP_LINEW64 &l, uint64_t displacement) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("fileName", l.FileName ? JsString(env, l.FileName) : Napi::String::New(env, ""));
  o.Set("lineNumber", l.LineNumber);
  o.Set("address", Big(env, l.Address));
  o.Set("displacement", Napi::Number::New(env, static_cast<double>(displacement)));
  return o;
}

}  // namespace dbghelp
