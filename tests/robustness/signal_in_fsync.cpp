// Test helper for tests/robustness/writes.py (issue 20), loaded with LD_PRELOAD: fsync() first raises
// the signal named by RL_SIGNAL_IN_FSYNC (a number) in the calling process, so SIGINT / SIGTERM land
// exactly while redirlint's temporary file exists, every run, instead of by the luck of a timer.
#include <dlfcn.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

extern "C" int fsync(int fd) {
  const char* sig = std::getenv("RL_SIGNAL_IN_FSYNC");
  if (sig && *sig) std::raise(std::atoi(sig));
  auto real = reinterpret_cast<int (*)(int)>(dlsym(RTLD_NEXT, "fsync"));
  return real(fd);
}
