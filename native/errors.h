// Errors thrown by the addon are instances of the package's own DbgHelpError: the JS class and
// its table of codes by Win32 error are handed over once, at start-up (setup()).
#pragma once

#include <napi.h>
#include <windows.h>

#include <string>

namespace dbghelp {

// Stores the DbgHelpError class and the { [win32Error]: code } table.
void SetErrorClass(Napi::Env env, Napi::Function cls, Napi::Object codes);

// new DbgHelpError(code, message, { win32Error }) where code comes from the table
// (or `fallbackCode` when the number is not in it).
Napi::Error MakeError(Napi::Env env, const std::string &message, DWORD win32, const char *fallbackCode = "IO_ERROR");

// "<what> failed: <system message> (Win32 error N)".
std::string Win32Message(const std::string &what, DWORD win32);

}  // namespace dbghelp
