#include "session.h"

#include <cstdio>
#include <cstring>
#include <functional>
#include <utility>

#include "convert.h"
#include "errors.h"
#include "lock.h"

namespace dbghelp {

namespace {

// CBA_DEBUG_INFO feeds the session's queue; CallbackData is the line (PCWSTR, W registration).
BOOL CALLBACK RegisteredCallback(HANDLE, ULONG action, ULONG64 data, ULONG64 ctx) {
  if (action == CBA_DEBUG_INFO) {
    reinterpret_cast<Session *>(ctx)->QueueDebugLine(reinterpret_cast<const WCHAR *>(data));
    return TRUE;
  }
  return FALSE;
}

// A symbol copied out of DbgHelp's callback: the fixed part plus its name.
struct SymbolCopy {
  SYMBOL_INFOW info;
  std::u16string name;
};

BOOL CALLBACK CollectSymbol(SYMBOL_INFOW *s, ULONG, PVOID ctx) {
  auto *out = static_cast<std::vector<SymbolCopy> *>(ctx);
  out->push_back({*s, std::u16string(reinterpret_cast<const char16_t *>(s->Name), wcsnlen(s->Name, s->NameLen))});
  return TRUE;
}

Napi::Array SymbolsToJs(Napi::Env env, const std::vector<SymbolCopy> &syms) {
  Napi::Array arr = Napi::Array::New(env, syms.size());
  for (size_t i = 0; i < syms.size(); i++) {
    Napi::Object o = SymbolToJs(env, syms[i].info);
    o.Set("name", Napi::String::New(env, syms[i].name));
    o.Set("nameLen", Napi::Number::New(env, static_cast<double>(syms[i].name.size())));
    arr.Set(i, o);
  }
  return arr;
}

// Runs `work` on a worker thread holding the DbgHelp lock, then `done` on the JS thread.
// `work` returns 0 on success or the Win32 error; the Promise rejects with a DbgHelpError.
class LockedWorker : public Napi::AsyncWorker {
 public:
  LockedWorker(Napi::Env env, Session *session, Napi::Object self, std::string what, std::function<DWORD()> work,
               std::function<Napi::Value(Napi::Env)> done)
      : Napi::AsyncWorker(env, "dbghelp"),
        deferred_(Napi::Promise::Deferred::New(env)),
        session_(session),
        what_(std::move(what)),
        work_(std::move(work)),
        done_(std::move(done)) {
    self_ = Napi::Persistent(self);  // keeps the Session alive while the work is queued
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    DbgHelpLock lock(DbgHelpMutex());
    if (!session_->live()) {
      error_ = ERROR_INVALID_HANDLE;
      return;
    }
    session_->ApplyOptions();
    error_ = work_();
  }
  void OnOK() override {
    Napi::Env env = Env();
    session_->FlushDebug(env);
    if (error_ != 0) {
      deferred_.Reject(MakeError(env, Win32Message(what_, error_), error_).Value());
      return;
    }
    deferred_.Resolve(done_(env));
  }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference self_;
  Session *session_;
  std::string what_;
  std::function<DWORD()> work_;
  std::function<Napi::Value(Napi::Env)> done_;
  DWORD error_ = 0;
};

std::string Utf8(const std::u16string &s) {
  int n = WideCharToMultiByte(CP_UTF8, 0, W(s), static_cast<int>(s.size()), nullptr, 0, nullptr, nullptr);
  std::string out(n, '\0');
  WideCharToMultiByte(CP_UTF8, 0, W(s), static_cast<int>(s.size()), &out[0], n, nullptr, nullptr);
  return out;
}

bool IsNullish(const Napi::Value &v) { return v.IsUndefined() || v.IsNull(); }

// "XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX" (no braces) → GUID, without ole32's CLSIDFromString.
bool ParseGuid(const std::string &s, GUID *g) {
  unsigned long d1;
  unsigned d2, d3, b[8];
  if (s.size() != 36 ||
      sscanf(s.c_str(), "%8lx-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x", &d1, &d2, &d3, &b[0], &b[1], &b[2], &b[3], &b[4],
             &b[5], &b[6], &b[7]) != 11)
    return false;
  g->Data1 = d1;
  g->Data2 = static_cast<unsigned short>(d2);
  g->Data3 = static_cast<unsigned short>(d3);
  for (int i = 0; i < 8; i++) g->Data4[i] = static_cast<unsigned char>(b[i]);
  return true;
}

}  // namespace

Napi::Function Session::Define(Napi::Env env) {
  return DefineClass(env, "Session",
                     {
                         InstanceMethod<&Session::SetSearchPath>("setSearchPath"),
                         InstanceMethod<&Session::GetSearchPath>("getSearchPath"),
                         InstanceMethod<&Session::SetOptions>("setOptions"),
                         InstanceMethod<&Session::GetOptions>("getOptions"),
                         InstanceMethod<&Session::LoadModule>("loadModule"),
                         InstanceMethod<&Session::UnloadModule>("unloadModule"),
                         InstanceMethod<&Session::GetModuleInfo>("getModuleInfo"),
                         InstanceMethod<&Session::ListModules>("listModules"),
                         InstanceMethod<&Session::FromAddr>("fromAddr"),
                         InstanceMethod<&Session::FromName>("fromName"),
                         InstanceMethod<&Session::EnumSymbols>("enumSymbols"),
                         InstanceMethod<&Session::EnumSymbolsAsync>("enumSymbolsAsync"),
                         InstanceMethod<&Session::GetTypeFromName>("getTypeFromName"),
                         InstanceMethod<&Session::GetLineFromAddr>("getLineFromAddr"),
                         InstanceMethod<&Session::GetLineNext>("getLineNext"),
                         InstanceMethod<&Session::GetLinePrev>("getLinePrev"),
                         InstanceMethod<&Session::GetLineFromName>("getLineFromName"),
                         InstanceMethod<&Session::EnumLines>("enumLines"),
                         InstanceMethod<&Session::EnumSourceFiles>("enumSourceFiles"),
                         InstanceMethod<&Session::AddrIncludeInlineTrace>("addrIncludeInlineTrace"),
                         InstanceMethod<&Session::QueryInlineTrace>("queryInlineTrace"),
                         InstanceMethod<&Session::FromInlineContext>("fromInlineContext"),
                         InstanceMethod<&Session::GetLineFromInlineContext>("getLineFromInlineContext"),
                         InstanceMethod<&Session::GetTypeInfo>("getTypeInfo"),
                         InstanceMethod<&Session::EnumTypes>("enumTypes"),
                         InstanceMethod<&Session::SetScopeFromAddr>("setScopeFromAddr"),
                         InstanceMethod<&Session::SetContext>("setContext"),
                         InstanceMethod<&Session::FindFileInPath>("findFileInPath"),
                         InstanceMethod<&Session::SetHomeDirectory>("setHomeDirectory"),
                         InstanceMethod<&Session::GetHomeDirectory>("getHomeDirectory"),
                         InstanceMethod<&Session::SetDebugListener>("setDebugListener"),
                         InstanceMethod<&Session::Cleanup>("cleanup"),
                         InstanceMethod<&Session::StackWalk>("stackWalk"),
                     });
}

// new Session(searchPath: string | null, options: number, invadePid: number)
// invadePid 0: a private fake handle; otherwise OpenProcess(pid) and invade it.
Session::Session(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Session>(info) {
  Napi::Env env = info.Env();
  std::u16string path;
  bool hasPath = !IsNullish(info[0]);
  if (hasPath) path = Wide(info[0]);
  options_ = info[1].As<Napi::Number>().Uint32Value();
  DWORD pid = info[2].IsNumber() ? info[2].As<Napi::Number>().Uint32Value() : 0;

  if (pid != 0) {
    process_ = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, pid);
    if (!process_) {
      DWORD err = GetLastError();
      MakeError(env, Win32Message("OpenProcess(" + std::to_string(pid) + ")", err), err).ThrowAsJavaScriptException();
      return;
    }
    ownsRealHandle_ = true;
  } else {
    fakeHandleOwner_.reset(new char(0));
    process_ = reinterpret_cast<HANDLE>(fakeHandleOwner_.get());
  }

  DWORD err = 0;
  {
    DbgHelpLock lock(DbgHelpMutex());
    ApplyOptions();
    BOOL ok = SymInitializeW(process_, hasPath ? W(path) : nullptr, pid != 0);
    if (!ok) err = GetLastError();
    // Microsoft's DLL answers FALSE with GetLastError 0 when invading a process whose module list
    // it could read only in part (seen under Wine), yet the handle is initialized and its modules
    // loaded: the handle answering SymGetSearchPathW tells the two cases apart.
    WCHAR probe[8];
    if (!ok && pid != 0 && err == 0 && SymGetSearchPathW(process_, probe, 1) == FALSE && GetLastError() == ERROR_INVALID_HANDLE) {
      err = ERROR_INVALID_HANDLE;
    } else if (!ok && pid != 0 && err == 0) {
      ok = TRUE;
    } else if (!ok && err == 0) {
      err = ERROR_GEN_FAILURE;
    }
    if (ok) {
      live_ = true;
      SymRegisterCallbackW64(process_, RegisteredCallback, reinterpret_cast<ULONG64>(this));
    }
  }
  if (err != 0) {
    if (ownsRealHandle_) CloseHandle(process_);
    ownsRealHandle_ = false;
    MakeError(env, Win32Message("SymInitializeW", err), err).ThrowAsJavaScriptException();
  }
}

Session::~Session() {
  DbgHelpLock lock(DbgHelpMutex());
  CleanupLocked();
}

void Session::CleanupLocked() {
  if (live_) SymCleanup(process_);
  live_ = false;
  if (ownsRealHandle_) CloseHandle(process_);
  ownsRealHandle_ = false;
}

// Line numbers are always asked for: the contract answers getLineFromAddr under the default
// options, which DbgHelp does only with SYMOPT_LOAD_LINES. Loads are never deferred: loadModule
// runs on a worker thread, so the PDB is opened there rather than by the first (synchronous)
// lookup on the JS thread, and getModuleInfo tells what was found, not SymDeferred.
void Session::ApplyOptions() const { SymSetOptions((options_ | SYMOPT_LOAD_LINES) & ~SYMOPT_DEFERRED_LOADS); }

void Session::QueueDebugLine(const WCHAR *line) {
  if (line) pendingDebug_.emplace_back(reinterpret_cast<const char16_t *>(line));
}

void Session::FlushDebug(Napi::Env env) {
  std::vector<std::u16string> lines;
  {
    DbgHelpLock lock(DbgHelpMutex());
    lines.swap(pendingDebug_);
  }
  if (debugListener_.IsEmpty()) return;
  for (auto &l : lines) {
    while (!l.empty() && (l.back() == u'\n' || l.back() == u'\r')) l.pop_back();
    debugListener_.Call({Napi::String::New(env, l)});
    if (env.IsExceptionPending()) return;
  }
}

bool Session::Check(Napi::Env env) {
  if (live_) return true;
  MakeError(env, "the symbol handler was cleaned up", ERROR_INVALID_HANDLE).ThrowAsJavaScriptException();
  return false;
}

// One DbgHelp call under the lock; the JS-thread flush happens after.
template <typename F>
DWORD Locked(Session *s, Napi::Env env, F &&call) {
  DWORD err = 0;
  {
    DbgHelpLock lock(DbgHelpMutex());
    s->ApplyOptions();
    if (!call()) {
      err = GetLastError();
      if (err == 0) err = ERROR_NOT_FOUND;
    }
  }
  s->FlushDebug(env);
  return err;
}

Napi::Value Session::SetSearchPath(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  bool has = !IsNullish(info[0]);
  std::u16string p = has ? Wide(info[0]) : std::u16string();
  DWORD err = Locked(this, env, [&] { return SymSetSearchPathW(process_, has ? W(p) : nullptr); });
  if (err) MakeError(env, Win32Message("SymSetSearchPathW", err), err).ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value Session::GetSearchPath(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  std::vector<WCHAR> buf(32768);
  DWORD err = Locked(this, env, [&] { return SymGetSearchPathW(process_, buf.data(), static_cast<DWORD>(buf.size())); });
  if (err) {
    MakeError(env, Win32Message("SymGetSearchPathW", err), err).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return JsString(env, buf.data(), buf.size());
}

Napi::Value Session::SetOptions(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  options_ = info[0].As<Napi::Number>().Uint32Value();
  return Napi::Number::New(env, options_);
}

Napi::Value Session::GetOptions(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  return Napi::Number::New(env, options_);
}

// loadModule(image: string, moduleName: string | null, base: bigint, size: number, searchPath?: string | null): Promise<bigint>
Napi::Value Session::LoadModule(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  auto image = std::make_shared<std::u16string>(Wide(info[0]));
  bool hasName = !IsNullish(info[1]);
  auto name = std::make_shared<std::u16string>(hasName ? Wide(info[1]) : std::u16string());
  uint64_t base = ToU64(info[2]);
  DWORD size = info[3].As<Napi::Number>().Uint32Value();
  // Optional: a search path for this load only, set and restored under the lock, so no other
  // call (of this session or another thread's) ever sees it.
  bool swap = info.Length() > 4 && !IsNullish(info[4]);
  auto loadPath = std::make_shared<std::u16string>(swap ? Wide(info[4]) : std::u16string());
  auto result = std::make_shared<DWORD64>(0);
  HANDLE process = process_;
  auto *w = new LockedWorker(
      env, this, Value(), "SymLoadModuleExW(" + Utf8(*image) + ")",
      [=]() -> DWORD {
        std::vector<WCHAR> saved;
        if (swap) {
          saved.resize(32768);
          SetLastError(0);
          if (!SymGetSearchPathW(process, saved.data(), static_cast<DWORD>(saved.size())) ||
              !SymSetSearchPathW(process, W(*loadPath))) {
            DWORD e = GetLastError();
            return e ? e : ERROR_NOT_FOUND;
          }
        }
        SetLastError(0);
        *result = SymLoadModuleExW(process, nullptr, W(*image), hasName ? W(*name) : nullptr, base, size, nullptr, 0);
        DWORD err = *result != 0 ? 0 : GetLastError();
        if (swap) SymSetSearchPathW(process, saved.data());
        if (*result != 0) return 0;
        // 0 with ERROR_SUCCESS: the same module is already loaded at that base (documented).
        if (err == ERROR_SUCCESS) {
          *result = base;
          return base != 0 ? 0 : ERROR_ALREADY_EXISTS;
        }
        return err;
      },
      [=](Napi::Env e) -> Napi::Value { return Big(e, *result); });
  w->Queue();
  return w->Promise();
}

Napi::Value Session::UnloadModule(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t base = ToU64(info[0]);
  DWORD err = Locked(this, env, [&] { return SymUnloadModule64(process_, base); });
  if (err) MakeError(env, Win32Message("SymUnloadModule64", err), err, "MODULE_NOT_FOUND").ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value Session::GetModuleInfo(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t addr = ToU64(info[0]);
  auto m = std::make_unique<IMAGEHLP_MODULEW64>();
  memset(m.get(), 0, sizeof *m);
  m->SizeOfStruct = sizeof *m;
  DWORD err = Locked(this, env, [&] { return SymGetModuleInfoW64(process_, addr, m.get()); });
  return err ? env.Undefined() : ModuleToJs(env, *m);
}

namespace {
BOOL CALLBACK CollectModule(PCWSTR, DWORD64 base, PVOID ctx) {
  static_cast<std::vector<uint64_t> *>(ctx)->push_back(base);
  return TRUE;
}
}  // namespace

// listModules(): the base of every loaded module (SymEnumerateModulesW64), e.g. after invading.
Napi::Value Session::ListModules(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  std::vector<uint64_t> bases;
  Locked(this, env, [&] { return SymEnumerateModulesW64(process_, CollectModule, &bases) || TRUE; });
  Napi::Array arr = Napi::Array::New(env, bases.size());
  for (size_t i = 0; i < bases.size(); i++) arr.Set(i, Big(env, bases[i]));
  return arr;
}

Napi::Value Session::FromAddr(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t addr = ToU64(info[0]);
  SymbolBuffer buf;
  DWORD64 disp = 0;
  DWORD err = Locked(this, env, [&] { return SymFromAddrW(process_, addr, &disp, buf.get()); });
  if (err) return env.Undefined();
  Napi::Object o = Napi::Object::New(env);
  o.Set("symbol", SymbolToJs(env, *buf.get()));
  o.Set("displacement", Big(env, disp));
  return o;
}

Napi::Value Session::FromName(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  std::u16string name = Wide(info[0]);
  SymbolBuffer buf;
  DWORD err = Locked(this, env, [&] { return SymFromNameW(process_, W(name), buf.get()); });
  return err ? env.Undefined() : SymbolToJs(env, *buf.get());
}

// enumSymbols(base: bigint, mask: string): SymbolInfo[]
Napi::Value Session::EnumSymbols(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t base = ToU64(info[0]);
  std::u16string mask = Wide(info[1]);
  std::vector<SymbolCopy> syms;
  Locked(this, env, [&] { return SymEnumSymbolsW(process_, base, W(mask), CollectSymbol, &syms) || TRUE; });
  return SymbolsToJs(env, syms);
}

// enumSymbolsAsync(base, mask): Promise<SymbolInfo[]>, for big modules, off the JS thread.
Napi::Value Session::EnumSymbolsAsync(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t base = ToU64(info[0]);
  auto mask = std::make_shared<std::u16string>(Wide(info[1]));
  auto syms = std::make_shared<std::vector<SymbolCopy>>();
  HANDLE process = process_;
  auto *w = new LockedWorker(
      env, this, Value(), "SymEnumSymbolsW",
      [=]() -> DWORD {
        SymEnumSymbolsW(process, base, W(*mask), CollectSymbol, syms.get());
        return 0;
      },
      [=](Napi::Env e) -> Napi::Value { return SymbolsToJs(e, *syms); });
  w->Queue();
  return w->Promise();
}

Napi::Value Session::GetTypeFromName(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t base = ToU64(info[0]);
  std::u16string name = Wide(info[1]);
  SymbolBuffer buf;
  DWORD err = Locked(this, env, [&] { return SymGetTypeFromNameW(process_, base, W(name), buf.get()); });
  return err ? env.Undefined() : SymbolToJs(env, *buf.get());
}

namespace {
IMAGEHLP_LINEW64 EmptyLine() {
  IMAGEHLP_LINEW64 l;
  memset(&l, 0, sizeof l);
  l.SizeOfStruct = sizeof l;
  return l;
}
}  // namespace

Napi::Value Session::GetLineFromAddr(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t addr = ToU64(info[0]);
  IMAGEHLP_LINEW64 line = EmptyLine();
  DWORD disp = 0;
  Napi::Value out = env.Undefined();
  // The file name points into DbgHelp's memory: copy it before the lock is released.
  std::u16string file;
  DWORD err = Locked(this, env, [&] {
    if (!SymGetLineFromAddrW64(process_, addr, &disp, &line)) return FALSE;
    if (line.FileName) file = reinterpret_cast<const char16_t *>(line.FileName);
    return TRUE;
  });
  if (err) return out;
  line.FileName = nullptr;
  Napi::Object o = LineToJs(env, line, disp);
  o.Set("fileName", Napi::String::New(env, file));
  return o;
}

// getLineNext(addr) / getLinePrev(addr): the line found for addr, then SymGetLine{Next,Prev}W64.
static Napi::Value StepLine(Session *s, const Napi::CallbackInfo &info, bool next) {
  Napi::Env env = info.Env();
  uint64_t addr = ToU64(info[0]);
  IMAGEHLP_LINEW64 line = EmptyLine();
  DWORD disp = 0;
  std::u16string file;
  DWORD err = Locked(s, env, [&] {
    if (!SymGetLineFromAddrW64(s->process(), addr, &disp, &line)) return FALSE;
    if (!(next ? SymGetLineNextW64(s->process(), &line) : SymGetLinePrevW64(s->process(), &line))) return FALSE;
    if (line.FileName) file = reinterpret_cast<const char16_t *>(line.FileName);
    return TRUE;
  });
  if (err) return env.Undefined();
  line.FileName = nullptr;
  Napi::Object o = LineToJs(env, line, 0);
  o.Set("fileName", Napi::String::New(env, file));
  return o;
}

Napi::Value Session::GetLineNext(const Napi::CallbackInfo &info) {
  if (!Check(info.Env())) return info.Env().Undefined();
  return StepLine(this, info, true);
}

Napi::Value Session::GetLinePrev(const Napi::CallbackInfo &info) {
  if (!Check(info.Env())) return info.Env().Undefined();
  return StepLine(this, info, false);
}

// getLineFromName(module: string | null, file: string, line: number): { line, displacement } | undefined
Napi::Value Session::GetLineFromName(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  bool hasModule = !IsNullish(info[0]);
  std::u16string module = hasModule ? Wide(info[0]) : std::u16string();
  std::u16string file = Wide(info[1]);
  DWORD lineNo = info[2].As<Napi::Number>().Uint32Value();
  IMAGEHLP_LINEW64 line = EmptyLine();
  LONG disp = 0;
  std::u16string found;
  DWORD err = Locked(this, env, [&] {
    if (!SymGetLineFromNameW64(process_, hasModule ? W(module) : nullptr, W(file), lineNo, &disp, &line)) return FALSE;
    if (line.FileName) found = reinterpret_cast<const char16_t *>(line.FileName);
    return TRUE;
  });
  if (err) return env.Undefined();
  line.FileName = nullptr;
  Napi::Object l = LineToJs(env, line, 0);
  l.Set("fileName", Napi::String::New(env, found));
  Napi::Object o = Napi::Object::New(env);
  o.Set("line", l);
  o.Set("displacement", Napi::Number::New(env, disp));
  return o;
}

namespace {
struct LineCopy {
  uint64_t modBase, address;
  DWORD lineNumber;
  std::u16string obj, file;
};
BOOL CALLBACK CollectLine(SRCCODEINFOW *l, PVOID ctx) {
  static_cast<std::vector<LineCopy> *>(ctx)->push_back(
      {l->ModBase, l->Address, l->LineNumber, reinterpret_cast<const char16_t *>(l->Obj),
       reinterpret_cast<const char16_t *>(l->FileName)});
  return TRUE;
}
BOOL CALLBACK CollectFile(SOURCEFILEW *f, PVOID ctx) {
  static_cast<std::vector<std::pair<uint64_t, std::u16string>> *>(ctx)->emplace_back(
      f->ModBase, f->FileName ? reinterpret_cast<const char16_t *>(f->FileName) : u"");
  return TRUE;
}
}  // namespace

// enumLines(base: bigint, obj: string | null, file: string | null): {modBase, obj, fileName, lineNumber, address}[]
Napi::Value Session::EnumLines(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t base = ToU64(info[0]);
  bool hasObj = !IsNullish(info[1]), hasFile = !IsNullish(info[2]);
  std::u16string obj = hasObj ? Wide(info[1]) : std::u16string();
  std::u16string file = hasFile ? Wide(info[2]) : std::u16string();
  std::vector<LineCopy> lines;
  DWORD err = Locked(this, env, [&] {
    return SymEnumLinesW(process_, base, hasObj ? W(obj) : nullptr, hasFile ? W(file) : nullptr, CollectLine, &lines);
  });
  if (err && lines.empty() && err != ERROR_NOT_FOUND && err != ERROR_MOD_NOT_FOUND) {
    MakeError(env, Win32Message("SymEnumLinesW", err), err).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array arr = Napi::Array::New(env, lines.size());
  for (size_t i = 0; i < lines.size(); i++) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("modBase", Big(env, lines[i].modBase));
    o.Set("obj", Napi::String::New(env, lines[i].obj));
    o.Set("fileName", Napi::String::New(env, lines[i].file));
    o.Set("lineNumber", lines[i].lineNumber);
    o.Set("address", Big(env, lines[i].address));
    arr.Set(i, o);
  }
  return arr;
}

// enumSourceFiles(base: bigint, mask: string | null): {modBase, fileName}[]
Napi::Value Session::EnumSourceFiles(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t base = ToU64(info[0]);
  bool hasMask = !IsNullish(info[1]);
  std::u16string mask = hasMask ? Wide(info[1]) : std::u16string();
  std::vector<std::pair<uint64_t, std::u16string>> files;
  Locked(this, env, [&] {
    return SymEnumSourceFilesW(process_, base, hasMask ? W(mask) : nullptr, CollectFile, &files) || TRUE;
  });
  Napi::Array arr = Napi::Array::New(env, files.size());
  for (size_t i = 0; i < files.size(); i++) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("modBase", Big(env, files[i].first));
    o.Set("fileName", Napi::String::New(env, files[i].second));
    arr.Set(i, o);
  }
  return arr;
}

// addrIncludeInlineTrace(addr): number of inline frames at addr (0 when none).
Napi::Value Session::AddrIncludeInlineTrace(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t addr = ToU64(info[0]);
  DWORD n = 0;
  Locked(this, env, [&] {
    if (!Inline().AddrIncludeInlineTrace) return FALSE;
    n = Inline().AddrIncludeInlineTrace(process_, addr);
    return TRUE;
  });
  return Napi::Number::New(env, n);
}

// queryInlineTrace(start, startContext, retAddr, cur): { context, frameIndex } | undefined; throws INVALID_PARAMETER
Napi::Value Session::QueryInlineTrace(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t start = ToU64(info[0]);
  DWORD startCtx = info[1].As<Napi::Number>().Uint32Value();
  uint64_t ret = ToU64(info[2]);
  uint64_t cur = ToU64(info[3]);
  DWORD ctx = 0, frame = 0;
  DWORD err = Locked(this, env, [&] { return Inline().QueryInlineTrace && Inline().QueryInlineTrace(process_, start, startCtx, ret, cur, &ctx, &frame); });
  // A start outside CurAddress's function is the caller's mistake (DbgHelp: ERROR_INVALID_PARAMETER).
  if (err == ERROR_INVALID_PARAMETER) {
    MakeError(env, Win32Message("SymQueryInlineTrace", err), err).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (err) return env.Undefined();
  Napi::Object o = Napi::Object::New(env);
  o.Set("context", Napi::Number::New(env, ctx));
  o.Set("frameIndex", Napi::Number::New(env, frame));
  return o;
}

Napi::Value Session::FromInlineContext(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t addr = ToU64(info[0]);
  DWORD ctx = info[1].As<Napi::Number>().Uint32Value();
  SymbolBuffer buf;
  DWORD64 disp = 0;
  DWORD err = Locked(this, env, [&] { return Inline().FromInlineContextW && Inline().FromInlineContextW(process_, addr, ctx, &disp, buf.get()); });
  if (err) return env.Undefined();
  Napi::Object o = Napi::Object::New(env);
  o.Set("symbol", SymbolToJs(env, *buf.get()));
  o.Set("displacement", Big(env, disp));
  return o;
}

Napi::Value Session::GetLineFromInlineContext(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t addr = ToU64(info[0]);
  DWORD ctx = info[1].As<Napi::Number>().Uint32Value();
  uint64_t base = IsNullish(info[2]) ? 0 : ToU64(info[2]);
  IMAGEHLP_LINEW64 line = EmptyLine();
  DWORD disp = 0;
  std::u16string file;
  DWORD err = Locked(this, env, [&] {
    if (!Inline().GetLineFromInlineContextW) return FALSE;
    if (!Inline().GetLineFromInlineContextW(process_, addr, ctx, base, &disp, &line)) return FALSE;
    if (line.FileName) file = reinterpret_cast<const char16_t *>(line.FileName);
    return TRUE;
  });
  if (err) return env.Undefined();
  line.FileName = nullptr;
  Napi::Object o = LineToJs(env, line, disp);
  o.Set("fileName", Napi::String::New(env, file));
  return o;
}

// getTypeInfo(base, typeId, what): the value SymGetTypeInfo gives for one IMAGEHLP_SYMBOL_TYPE_INFO:
// a string for TI_GET_SYMNAME, a bigint for TI_GET_LENGTH/TI_GET_ADDRESS, an array of child ids
// for TI_FINDCHILDREN, a number (DWORD) for the rest; undefined when DbgHelp has no answer.
Napi::Value Session::GetTypeInfo(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t base = ToU64(info[0]);
  ULONG id = info[1].As<Napi::Number>().Uint32Value();
  auto what = static_cast<IMAGEHLP_SYMBOL_TYPE_INFO>(info[2].As<Napi::Number>().Uint32Value());
  switch (what) {
    case TI_GET_SYMNAME: {
      WCHAR *name = nullptr;
      std::u16string copy;
      DWORD err = Locked(this, env, [&] {
        if (!SymGetTypeInfo(process_, base, id, what, &name)) return FALSE;
        if (name) copy = reinterpret_cast<const char16_t *>(name);
        LocalFree(name);
        return TRUE;
      });
      return err ? env.Undefined() : Napi::String::New(env, copy);
    }
    case TI_GET_LENGTH:
    case TI_GET_ADDRESS: {
      ULONG64 v = 0;
      DWORD err = Locked(this, env, [&] { return SymGetTypeInfo(process_, base, id, what, &v); });
      return err ? env.Undefined() : Big(env, v);
    }
    case TI_FINDCHILDREN: {
      DWORD count = 0;
      DWORD err = Locked(this, env, [&] { return SymGetTypeInfo(process_, base, id, TI_GET_CHILDRENCOUNT, &count); });
      if (err) return env.Undefined();
      // TI_FINDCHILDREN_PARAMS: ULONG Count; ULONG Start; ULONG ChildId[Count].
      std::vector<ULONG> params(2 + count, 0);
      params[0] = count;
      err = Locked(this, env, [&] { return count == 0 || SymGetTypeInfo(process_, base, id, what, params.data()); });
      if (err) return env.Undefined();
      Napi::Array arr = Napi::Array::New(env, count);
      for (DWORD i = 0; i < count; i++) arr.Set(i, Napi::Number::New(env, params[2 + i]));
      return arr;
    }
    case TI_GET_VALUE: {
      VARIANT v;
      memset(&v, 0, sizeof v);  // VT_EMPTY; integer values only, so nothing to VariantClear
      DWORD err = Locked(this, env, [&] { return SymGetTypeInfo(process_, base, id, what, &v); });
      if (err) return env.Undefined();
      switch (v.vt) {
        case VT_I1: return Napi::Number::New(env, v.cVal);
        case VT_I2: return Napi::Number::New(env, v.iVal);
        case VT_I4: case VT_INT: return Napi::Number::New(env, v.lVal);
        case VT_UI1: return Napi::Number::New(env, v.bVal);
        case VT_UI2: return Napi::Number::New(env, v.uiVal);
        case VT_UI4: case VT_UINT: return Napi::Number::New(env, v.ulVal);
        case VT_I8: return Napi::BigInt::New(env, static_cast<int64_t>(v.llVal));
        case VT_UI8: return Big(env, v.ullVal);
        default: return env.Undefined();
      }
    }
    default: {
      // Every other query answers a DWORD or smaller; a ULONG64 buffer leaves room.
      ULONG64 v = 0;
      DWORD err = Locked(this, env, [&] { return SymGetTypeInfo(process_, base, id, what, &v); });
      return err ? env.Undefined() : Napi::Number::New(env, static_cast<DWORD>(v));
    }
  }
}

// enumTypes(base, mask | null): SymEnumTypesW, or SymEnumTypesByNameW with a mask.
Napi::Value Session::EnumTypes(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t base = ToU64(info[0]);
  bool hasMask = !IsNullish(info[1]);
  std::u16string mask = hasMask ? Wide(info[1]) : std::u16string();
  std::vector<SymbolCopy> syms;
  Locked(this, env, [&] {
    BOOL ok = hasMask ? SymEnumTypesByNameW(process_, base, W(mask), CollectSymbol, &syms)
                      : SymEnumTypesW(process_, base, CollectSymbol, &syms);
    return ok || TRUE;
  });
  return SymbolsToJs(env, syms);
}

// setScopeFromAddr(addr): boolean (SymSetScopeFromAddr; SymSetContext with that instruction
// offset where the DLL lacks it). Locals then enumerate with enumSymbols(0n, mask).
Napi::Value Session::SetScopeFromAddr(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  uint64_t addr = ToU64(info[0]);
  DWORD err = Locked(this, env, [&] {
    if (SymSetScopeFromAddr(process_, addr)) return TRUE;
    IMAGEHLP_STACK_FRAME frame;
    memset(&frame, 0, sizeof frame);
    frame.InstructionOffset = addr;
    // SymSetContext returns FALSE with ERROR_SUCCESS when the scope is unchanged.
    SetLastError(0);
    return (SymSetContext(process_, &frame, nullptr) || GetLastError() == ERROR_SUCCESS) ? TRUE : FALSE;
  });
  return Napi::Boolean::New(env, err == 0);
}

// setContext(instruction, ret, frame, stack, inlineContext): boolean. SymSetContext with an
// IMAGEHLP_STACK_FRAME, or SymSetScopeFromInlineContext for an inline frame.
Napi::Value Session::SetContext(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  IMAGEHLP_STACK_FRAME frame;
  memset(&frame, 0, sizeof frame);
  frame.InstructionOffset = ToU64(info[0]);
  frame.ReturnOffset = ToU64(info[1]);
  frame.FrameOffset = ToU64(info[2]);
  frame.StackOffset = ToU64(info[3]);
  DWORD inlineCtx = info[4].As<Napi::Number>().Uint32Value();
  DWORD err = Locked(this, env, [&] {
    if (inlineCtx != 0 && Inline().SetScopeFromInlineContext)
      return Inline().SetScopeFromInlineContext(process_, frame.InstructionOffset, inlineCtx);
    SetLastError(0);
    return (SymSetContext(process_, &frame, nullptr) || GetLastError() == ERROR_SUCCESS) ? TRUE : FALSE;
  });
  return Napi::Boolean::New(env, err == 0);
}

// findFileInPath(searchPath | null, fileName, { guid?: string, dword?: number }, two, three):
// Promise<string | undefined>. SSRVOPT_GUIDPTR when guid is given (a PDB: two = age), else
// SSRVOPT_DWORD (an image: dword = TimeDateStamp, two = SizeOfImage).
Napi::Value Session::FindFileInPath(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  bool hasPath = !IsNullish(info[0]);
  auto path = std::make_shared<std::u16string>(hasPath ? Wide(info[0]) : std::u16string());
  auto file = std::make_shared<std::u16string>(Wide(info[1]));
  Napi::Object id = info[2].As<Napi::Object>();
  auto guid = std::make_shared<GUID>();
  bool useGuid = id.Has("guid") && id.Get("guid").IsString();
  DWORD dword = id.Has("dword") && id.Get("dword").IsNumber() ? id.Get("dword").As<Napi::Number>().Uint32Value() : 0;
  if (useGuid) {
    if (!ParseGuid(id.Get("guid").As<Napi::String>().Utf8Value(), guid.get())) {
      MakeError(env, "findFileInPath: bad GUID", ERROR_INVALID_PARAMETER, "INVALID_PARAMETER").ThrowAsJavaScriptException();
      return env.Undefined();
    }
  }
  DWORD two = info[3].As<Napi::Number>().Uint32Value();
  DWORD three = info[4].As<Napi::Number>().Uint32Value();
  constexpr DWORD SSRVOPT_DWORD = 0x02, SSRVOPT_GUIDPTR = 0x08;
  auto found = std::make_shared<std::vector<WCHAR>>(MAX_PATH * 4, 0);
  auto ok = std::make_shared<bool>(false);
  HANDLE process = process_;
  auto *w = new LockedWorker(
      env, this, Value(), "SymFindFileInPathW(" + Utf8(*file) + ")",
      [=]() -> DWORD {
        PVOID idp = useGuid ? static_cast<PVOID>(guid.get()) : reinterpret_cast<PVOID>(static_cast<uintptr_t>(dword));
        *ok = SymFindFileInPathW(process, hasPath ? W(*path) : nullptr, W(*file), idp, two, three,
                                 useGuid ? SSRVOPT_GUIDPTR : SSRVOPT_DWORD, found->data(), nullptr, nullptr) != FALSE;
        return 0;
      },
      [=](Napi::Env e) -> Napi::Value { return *ok ? Napi::Value(JsString(e, found->data())) : e.Undefined(); });
  w->Queue();
  return w->Promise();
}

Napi::Value Session::SetHomeDirectory(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  bool has = !IsNullish(info[0]);
  std::u16string dir = has ? Wide(info[0]) : std::u16string();
  std::u16string result;
  DWORD err = Locked(this, env, [&] {
    PWSTR r = SymSetHomeDirectoryW(process_, has ? W(dir) : nullptr);
    if (r) result = reinterpret_cast<const char16_t *>(r);
    return r != nullptr;
  });
  if (err) {
    MakeError(env, Win32Message("SymSetHomeDirectoryW", err), err).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::String::New(env, result);
}

// getHomeDirectory(type): hdBase 0, hdSym 1, hdSrc 2.
Napi::Value Session::GetHomeDirectory(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  DWORD type = info[0].As<Napi::Number>().Uint32Value();
  std::vector<WCHAR> buf(MAX_PATH * 4, 0);
  DWORD err = Locked(this, env, [&] { return SymGetHomeDirectoryW(type, buf.data(), buf.size()) != nullptr; });
  if (err) return env.Undefined();
  return JsString(env, buf.data());
}

Napi::Value Session::SetDebugListener(const Napi::CallbackInfo &info) {
  if (info[0].IsFunction()) {
    debugListener_ = Napi::Persistent(info[0].As<Napi::Function>());
  } else {
    debugListener_.Reset();
  }
  return info.Env().Undefined();
}

Napi::Value Session::Cleanup(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  {
    DbgHelpLock lock(DbgHelpMutex());
    CleanupLocked();
    pendingDebug_.clear();
  }
  debugListener_.Reset();
  return env.Undefined();
}

}  // namespace dbghelp
