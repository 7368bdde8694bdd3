#include "errors.h"

namespace dbghelp {

namespace {
Napi::FunctionReference errorClass;
Napi::ObjectReference errorCodes;
}  // namespace

void SetErrorClass(Napi::Env, Napi::Function cls, Napi::Object codes) {
  errorClass = Napi::Persistent(cls);
  errorClass.SuppressDestruct();
  errorCodes = Napi::Persistent(codes);
  errorCodes.SuppressDestruct();
}

std::string Win32Message(const std::string &what, DWORD win32) {
  char buf[512] = {0};
  DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, win32, 0, buf,
                           sizeof buf, nullptr);
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '.')) buf[--n] = 0;
  std::string text = what + " failed: ";
  text += n ? buf : "unknown error";
  return text + " (Win32 error " + std::to_string(win32) + ")";
}

Napi::Error MakeError(Napi::Env env, const std::string &message, DWORD win32, const char *fallbackCode) {
  if (errorClass.IsEmpty()) return Napi::Error::New(env, message + " [setup() was not called]");
  Napi::Value code = errorCodes.Value().Get(std::to_string(win32));
  if (!code.IsString()) code = Napi::String::New(env, fallbackCode);
  Napi::Object opts = Napi::Object::New(env);
  opts.Set("win32Error", Napi::Number::New(env, win32));
  Napi::Object err = errorClass.New({code, Napi::String::New(env, message), opts});
  return Napi::Error(env, err);
}

}  // namespace dbghelp
