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

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Session", dbghelp::Session::Define(env));
  exports.Set("setup", Napi::Function::New(env, Setup));
  exports.Set("dllPath", Napi::Function::New(env, DllPath));
  return exports;
}

}  // namespace

NODE_API_MODULE(dbghelp, Init)
