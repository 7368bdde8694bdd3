// DbgHelp is single-threaded: every call into dbghelp.dll, from the JS thread or a worker, holds
// this one lock (about-dbghelp: "all DbgHelp functions ... are single threaded").
#pragma once

#include <mutex>

namespace dbghelp {

inline std::mutex &DbgHelpMutex() {
  static std::mutex m;
  return m;
}

using DbgHelpLock = std::lock_guard<std::mutex>;

}  // namespace dbghelp
