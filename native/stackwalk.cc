// StackWalkEx over a process that exists only as data (a minidump), and MiniDumpWriteDump /
// MiniDumpReadDumpStream. Every function here is resolved with GetProcAddress when it is called,
// so the addon's imports stay what they were: Microsoft's dbghelp.dll forwards the two minidump
// functions to dbgcore.dll, which may be absent (Wine has none), and a static import of a
// forwarder that cannot resolve aborts the process when it is called.
//
// Session::StackWalk(machine, context: Buffer, read: (address, size) => Uint8Array | undefined,
//                    threadId, maxFrames) -> { frames: [{pc, ret, sp, fp, inlineContext}], stopped }
// runs on the JS thread under the DbgHelp lock; `read` is called synchronously from DbgHelp's
// callbacks (it must not call DbgHelp). FunctionTableAccess is
// SymFunctionTableAccess64AccessRoutines with that same reader when the DLL has it (plain
// SymFunctionTableAccess64 reads through the process handle, which is made up), else
// SymFunctionTableAccess64; GetModuleBase is SymGetModuleBase64 on the session's handle.
#include <napi.h>

#include <cstring>
#include <string>
#include <vector>

#include "convert.h"
#include "errors.h"
#include "lock.h"
#include "session.h"

namespace dbghelp {

namespace {

// ADDRESS64, STACKFRAME64 (264 bytes on x64) and STACKFRAME_EX (272) from dbghelp.h.
struct Address64 {
  DWORD64 Offset;
  WORD Segment;
  int Mode;  // ADDRESS_MODE: 3 = AddrModeFlat
};
struct StackFrameEx {
  Address64 AddrPC, AddrReturn, AddrFrame, AddrStack, AddrBStore;
  PVOID FuncTableEntry;
  DWORD64 Params[4];
  BOOL Far, Virtual;
  DWORD64 Reserved[3];
  alignas(8) BYTE KdHelp[112];  // KDHELP64
  DWORD StackFrameSize;
  DWORD InlineFrameContext;
};
#ifdef _WIN64
static_assert(sizeof(StackFrameEx) == 272, "STACKFRAME_EX is 272 bytes on x64");
#endif

typedef BOOL(CALLBACK *ReadMemoryFn)(HANDLE, DWORD64, PVOID, DWORD, LPDWORD);
typedef PVOID(CALLBACK *FunctionTableFn)(HANDLE, DWORD64);
typedef DWORD64(CALLBACK *ModuleBaseFn)(HANDLE, DWORD64);
typedef BOOL(WINAPI *StackWalkExFn)(DWORD, HANDLE, HANDLE, StackFrameEx *, PVOID, ReadMemoryFn, FunctionTableFn, ModuleBaseFn,
                                    PVOID, DWORD);
typedef PVOID(WINAPI *FunctionTableAccessRoutinesFn)(HANDLE, DWORD64, ReadMemoryFn, ModuleBaseFn);
typedef BOOL(WINAPI *MiniDumpWriteDumpFn)(HANDLE, DWORD, HANDLE, DWORD, PVOID, PVOID, PVOID);
typedef BOOL(WINAPI *MiniDumpReadDumpStreamFn)(PVOID, ULONG, PVOID *, PVOID *, ULONG *);

FARPROC DbgHelpProc(const char *name) {
  HMODULE m = GetModuleHandleW(L"dbghelp.dll");
  return m ? GetProcAddress(m, name) : nullptr;
}

// The walk in progress (one at a time: the DbgHelp lock is held for the whole walk).
struct Walk {
  Napi::Env env;
  Napi::Function read;
  FunctionTableAccessRoutinesFn fta;
  ModuleBaseFn moduleBase;
  FunctionTableFn plainFta;
};
Walk *g_walk = nullptr;

BOOL CALLBACK ReadMemory(HANDLE, DWORD64 address, PVOID buffer, DWORD size, LPDWORD done) {
  DWORD n = 0;
  Walk *w = g_walk;
  if (w && size > 0) {
    Napi::Value v = w->read.Call({Big(w->env, address), Napi::Number::New(w->env, size)});
    if (w->env.IsExceptionPending()) {
      w->env.GetAndClearPendingException();
    } else if (v.IsTypedArray()) {
      Napi::Uint8Array a = v.As<Napi::Uint8Array>();
      n = static_cast<DWORD>(a.ByteLength() < size ? a.ByteLength() : size);
      std::memcpy(buffer, a.Data(), n);
    }
  }
  if (done) *done = n;
  return n == size;
}

PVOID CALLBACK FunctionTable(HANDLE process, DWORD64 pc) {
  Walk *w = g_walk;
  if (!w) return nullptr;
  return w->fta ? w->fta(process, pc, ReadMemory, w->moduleBase) : w->plainFta(process, pc);
}

}  // namespace

Napi::Value Session::StackWalk(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!Check(env)) return env.Undefined();
  DWORD machine = info[0].As<Napi::Number>().Uint32Value();
  Napi::Uint8Array ctxIn = info[1].As<Napi::Uint8Array>();
  Napi::Function read = info[2].As<Napi::Function>();
  DWORD threadId = info[3].As<Napi::Number>().Uint32Value();
  DWORD maxFrames = info[4].As<Napi::Number>().Uint32Value();

  auto walk = reinterpret_cast<StackWalkExFn>(DbgHelpProc("StackWalkEx"));
  auto moduleBase = reinterpret_cast<ModuleBaseFn>(DbgHelpProc("SymGetModuleBase64"));
  auto plainFta = reinterpret_cast<FunctionTableFn>(DbgHelpProc("SymFunctionTableAccess64"));
  if (!walk || !moduleBase || !plainFta) {
    MakeError(env, "this dbghelp.dll has no StackWalkEx (DbgHelp 6.2 / Windows 8 added it)", ERROR_NOT_SUPPORTED)
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  // CONTEXT must be 16-byte aligned on x64; the largest layout (AMD64, 1232 bytes) fits.
  alignas(16) static unsigned char ctx[4096];
  std::memset(ctx, 0, sizeof ctx);
  std::memcpy(ctx, ctxIn.Data(), ctxIn.ByteLength() < sizeof ctx ? ctxIn.ByteLength() : sizeof ctx);
  StackFrameEx sf;
  std::memset(&sf, 0, sizeof sf);
  sf.StackFrameSize = sizeof sf;
  sf.AddrPC.Mode = sf.AddrStack.Mode = sf.AddrFrame.Mode = 3;  // AddrModeFlat
  uint64_t pc = ToU64(info[5]), sp = ToU64(info[6]), fp = ToU64(info[7]);
  sf.AddrPC.Offset = pc;
  sf.AddrStack.Offset = sp;
  sf.AddrFrame.Offset = fp;

  Walk w{env, read, reinterpret_cast<FunctionTableAccessRoutinesFn>(DbgHelpProc("SymFunctionTableAccess64AccessRoutines")),
         moduleBase, plainFta};
  struct Frame {
    uint64_t pc, ret, sp, fp;
    DWORD inlineContext;
  };
  std::vector<Frame> frames;
  DWORD stopped = 0;
  {
    DbgHelpLock lock(DbgHelpMutex());
    ApplyOptions();
    g_walk = &w;
    for (DWORD k = 0; k < maxFrames; k++) {
      SetLastError(0);
      if (!walk(machine, process(), reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(threadId)), &sf, ctx, ReadMemory,
                FunctionTable, moduleBase, nullptr, 0)) {
        stopped = GetLastError();
        break;
      }
      frames.push_back({sf.AddrPC.Offset, sf.AddrReturn.Offset, sf.AddrStack.Offset, sf.AddrFrame.Offset, sf.InlineFrameContext});
    }
    g_walk = nullptr;
  }
  FlushDebug(env);
  Napi::Array arr = Napi::Array::New(env, frames.size());
  for (size_t i = 0; i < frames.size(); i++) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("pc", Big(env, frames[i].pc));
    o.Set("ret", Big(env, frames[i].ret));
    o.Set("sp", Big(env, frames[i].sp));
    o.Set("fp", Big(env, frames[i].fp));
    o.Set("inlineContext", Napi::Number::New(env, frames[i].inlineContext));
    arr.Set(static_cast<uint32_t>(i), o);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("frames", arr);
  out.Set("stopped", Napi::Number::New(env, stopped));
  return out;
}

// hasExport(name): whether dbghelp.dll resolves `name` now (a forwarder to an absent DLL does not).
Napi::Value HasExport(const Napi::CallbackInfo &info) {
  std::string name = info[0].As<Napi::String>().Utf8Value();
  DbgHelpLock lock(DbgHelpMutex());
  return Napi::Boolean::New(info.Env(), DbgHelpProc(name.c_str()) != nullptr);
}

// writeMinidump(path, pid, type): MiniDumpWriteDump of process `pid` (0: this process) into a new file.
Napi::Value WriteMinidump(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::u16string path = Wide(info[0]);
  DWORD pid = info[1].As<Napi::Number>().Uint32Value();
  DWORD type = info[2].As<Napi::Number>().Uint32Value();
  DbgHelpLock lock(DbgHelpMutex());
  auto fn = reinterpret_cast<MiniDumpWriteDumpFn>(DbgHelpProc("MiniDumpWriteDump"));
  if (!fn) {
    MakeError(env, "dbghelp.dll has no usable MiniDumpWriteDump (Microsoft's forwards it to dbgcore.dll)", ERROR_PROC_NOT_FOUND, "UNSUPPORTED")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  bool self = pid == 0 || pid == GetCurrentProcessId();
  HANDLE proc = self ? GetCurrentProcess() : OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ | PROCESS_DUP_HANDLE, FALSE, pid);
  if (!proc) {
    DWORD err = GetLastError();
    MakeError(env, Win32Message("OpenProcess(" + std::to_string(pid) + ")", err), err).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  HANDLE file = CreateFileW(W(path), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  DWORD err = 0;
  if (file == INVALID_HANDLE_VALUE) {
    err = GetLastError();
  } else {
    if (!fn(proc, self ? GetCurrentProcessId() : pid, file, type, nullptr, nullptr, nullptr)) err = GetLastError();
    CloseHandle(file);
  }
  if (!self) CloseHandle(proc);
  if (err) {
    MakeError(env, Win32Message("MiniDumpWriteDump", err), err).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return env.Undefined();
}

// readDumpStream(dump: Uint8Array, type) -> { offset, size } | undefined: MiniDumpReadDumpStream
// over the dump's bytes (where the stream lies in them; undefined when the dump has no such stream).
Napi::Value ReadDumpStream(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Uint8Array dump = info[0].As<Napi::Uint8Array>();
  ULONG type = info[1].As<Napi::Number>().Uint32Value();
  DbgHelpLock lock(DbgHelpMutex());
  auto fn = reinterpret_cast<MiniDumpReadDumpStreamFn>(DbgHelpProc("MiniDumpReadDumpStream"));
  if (!fn) {
    MakeError(env, "dbghelp.dll has no usable MiniDumpReadDumpStream (Microsoft's forwards it to dbgcore.dll)", ERROR_PROC_NOT_FOUND, "UNSUPPORTED")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  PVOID dir = nullptr, stream = nullptr;
  ULONG size = 0;
  if (!fn(dump.Data(), type, &dir, &stream, &size) || !stream) return env.Undefined();
  // Where the stream lies in the dump's bytes; JS copies it out.
  const uint8_t *p = static_cast<const uint8_t *>(stream);
  if (p < dump.Data() || p + size > dump.Data() + dump.ByteLength()) return env.Undefined();
  Napi::Object out = Napi::Object::New(env);
  out.Set("offset", Napi::Number::New(env, static_cast<double>(p - dump.Data())));
  out.Set("size", Napi::Number::New(env, size));
  return out;
}

}  // namespace dbghelp
