// The addon's entry point: exports the Session class and setup(), which receives the package's
// DbgHelpError class and its { [win32Error]: code } table so native errors are the same class.
#include <napi.h>

#include "errors.h"
#include "session.h"

namespace {

Napi::Value Setup(const Napi::CallbackInfo &info) {
  dbghelp::SetErrorClass(info.Env(), info[0].As<Napi::Function>(), info[1].As<Napi::Object>());
  return info.Env().Undefined();
}

// The path of the dbghelp.dll this process loaded (GetModuleFileNameW), for diagnostics.
Napi::Value DllPath(const Napi::CallbackInfo &info) {
  WCHAR buf[MAX_PATH * 2] = {0};
  HMODULE m = GetModuleHandleW(L"dbghelp.dll");
  if (!m || !GetModuleFileNameW(m, buf, MAX_PATH * 2)) return info.Env().Undefined();
  return Napi::String::New(info.Env(), reinterpret_cast<const char16_t *>(buf));
}

// The version resource (VS_VERSION_INFO) of the dbghelp.dll mapped in this process, from the image in memory
// (its version resource): "Windows Image Helper" for Microsoft's, "Wine Image Helper" for Wine's.
// The file at the module's path can be another DLL than the one loaded (Wine's builtins).
Napi::Value VersionResource(const Napi::CallbackInfo &info) {
  HMODULE m = GetModuleHandleW(L"dbghelp.dll");
  if (!m) return info.Env().Undefined();
  HRSRC r = FindResourceW(m, MAKEINTRESOURCEW(1), MAKEINTRESOURCEW(16));  // VS_VERSION_INFO, RT_VERSION
  HGLOBAL g = r ? LoadResource(m, r) : nullptr;
  const unsigned char *p = g ? static_cast<const unsigned char *>(LockResource(g)) : nullptr;
  DWORD n = r ? SizeofResource(m, r) : 0;
  if (!p || !n) return info.Env().Undefined();
  return Napi::Buffer<unsigned char>::Copy(info.Env(), p, n);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Session", dbghelp::Session::Define(env));
  exports.Set("setup", Napi::Function::New(env, Setup));
  exports.Set("dllPath", Napi::Function::New(env, DllPath));
  exports.Set("hasExport", Napi::Function::New(env, dbghelp::HasExport));
  exports.Set("writeMinidump", Napi::Function::New(env, dbghelp::WriteMinidump));
  exports.Set("readDumpStream", Napi::Function::New(env, dbghelp::ReadDumpStream));
  exports.Set("versionResource", Napi::Function::New(env, VersionResource));
  return exports;
}

}  // namespace

NODE_API_MODULE(dbghelp, Init)
