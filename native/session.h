// Session: one DbgHelp "process" (SymInitializeW ... SymCleanup), wrapped for JS.
//
// Each Session owns a unique fake process handle (the address of a private allocation), so it
// never meets Node's own SymInitialize(GetCurrentProcess()) in its crash path, nor another
// Session; with `invade` it opens the real process instead and DbgHelp enumerates its modules.
// SymSetOptions is process-wide in DbgHelp, so each Session keeps its own options and applies
// them under the lock before every call. Debug lines (CBA_DEBUG_INFO) are queued under the lock
// and handed to the JS listener on the JS thread once the call returns.
#pragma once

#include <napi.h>

#include <memory>
#include <string>
#include <vector>

#include "dbghelp_decls.h"

namespace dbghelp {

class Session : public Napi::ObjectWrap<Session> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Session(const Napi::CallbackInfo &info);
  ~Session() override;

  // Called on any thread, holding the lock.
  HANDLE process() const { return process_; }
  bool live() const { return live_; }
  void ApplyOptions() const;
  void QueueDebugLine(const WCHAR *line);
  // Called on the JS thread without the lock: hands queued debug lines to the listener.
  void FlushDebug(Napi::Env env);

 private:
  Napi::Value SetSearchPath(const Napi::CallbackInfo &info);
  Napi::Value GetSearchPath(const Napi::CallbackInfo &info);
  Napi::Value SetOptions(const Napi::CallbackInfo &info);
  Napi::Value GetOptions(const Napi::CallbackInfo &info);
  Napi::Value LoadModule(const Napi::CallbackInfo &info);
  Napi::Value UnloadModule(const Napi::CallbackInfo &info);
  Napi::Value GetModuleInfo(const Napi::CallbackInfo &info);
  Napi::Value ListModules(const Napi::CallbackInfo &info);
  Napi::Value FromAddr(const Napi::CallbackInfo &info);
  Napi::Value FromName(const Napi::CallbackInfo &info);
  Napi::Value EnumSymbols(const Napi::CallbackInfo &info);
  Napi::Value EnumSymbolsAsync(const Napi::CallbackInfo &info);
  Napi::Value GetTypeFromName(const Napi::CallbackInfo &info);
  Napi::Value GetLineFromAddr(const Napi::CallbackInfo &info);
  Napi::Value GetLineNext(const Napi::CallbackInfo &info);
  Napi::Value GetLinePrev(const Napi::CallbackInfo &info);
  Napi::Value GetLineFromName(const Napi::CallbackInfo &info);
  Napi::Value EnumLines(const Napi::CallbackInfo &info);
  Napi::Value EnumSourceFiles(const Napi::CallbackInfo &info);
  Napi::Value AddrIncludeInlineTrace(const Napi::CallbackInfo &info);
  Napi::Value QueryInlineTrace(const Napi::CallbackInfo &info);
  Napi::Value FromInlineContext(const Napi::CallbackInfo &info);
  Napi::Value GetLineFromInlineContext(const Napi::CallbackInfo &info);
  Napi::Value GetTypeInfo(const Napi::CallbackInfo &info);
  Napi::Value EnumTypes(const Napi::CallbackInfo &info);
  Napi::Value SetScopeFromAddr(const Napi::CallbackInfo &info);
  Napi::Value SetContext(const Napi::CallbackInfo &info);
  Napi::Value FindFileInPath(const Napi::CallbackInfo &info);
  Napi::Value SetHomeDirectory(const Napi::CallbackInfo &info);
  Napi::Value GetHomeDirectory(const Napi::CallbackInfo &info);
  Napi::Value SetDebugListener(const Napi::CallbackInfo &info);
  Napi::Value Cleanup(const Napi::CallbackInfo &info);
  // StackWalkEx over memory the caller serves (native/stackwalk.cc).
  Napi::Value StackWalk(const Napi::CallbackInfo &info);

  // Throws INVALID_HANDLE after cleanup.
  bool Check(Napi::Env env);
  void CleanupLocked();

  std::unique_ptr<char> fakeHandleOwner_;
  HANDLE process_ = nullptr;
  bool ownsRealHandle_ = false;
  bool live_ = false;
  DWORD options_ = 0;
  std::vector<std::u16string> pendingDebug_;
  Napi::FunctionReference debugListener_;
};

// Free functions of native/stackwalk.cc, resolved from dbghelp.dll when called.
Napi::Value HasExport(const Napi::CallbackInfo &info);
Napi::Value WriteMinidump(const Napi::CallbackInfo &info);
Napi::Value ReadDumpStream(const Napi::CallbackInfo &info);

}  // namespace dbghelp
