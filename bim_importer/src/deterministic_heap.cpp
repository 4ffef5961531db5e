// The deterministic heap behind DeterministicHeapScope (deterministic_heap.hpp), and the process's replacement of
// the global operator new/delete that routes to it. Linked only where greentwin_bim_importer is (the importer
// executable, its tests and benchmark); outside a scope every call goes straight to malloc/free.
#include "deterministic_heap.hpp"

#include <array>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <mutex>  // std::lock_guard
#include <new>
#include <sys/mman.h>

namespace gt::bim {
namespace {

// 32 TiB: far from where Linux places the program, its heap, libraries and stacks (near 0x55.. and 0x7f..).
constexpr std::uintptr_t kBase = 0x2000'0000'0000ULL;
constexpr std::uintptr_t kLimit = kBase + (1ULL << 40);  // at most 1 TiB of address range
constexpr std::size_t kMapStep = 64ULL << 20;           // mapped 64 MiB at a time
constexpr std::size_t kHeader = 16;                      // keeps blocks 16-byte aligned; holds the size class
constexpr std::size_t kSmallStep = 16;
constexpr std::size_t kSmallMax = 1024;                     // classes 1..64: 16-byte steps up to 1 KiB
constexpr std::size_t kSmallClasses = kSmallMax / kSmallStep + 1;
constexpr std::size_t kStepsPerDoubling = 4;                // then 1280, 1536, 1792, 2048, 2560, ...
constexpr std::size_t kClasses = kSmallClasses + kStepsPerDoubling * 32;  // up to 4 TiB, past kLimit

struct FreeBlock {
  FreeBlock* next;
};

// The heap's lock: held for a few instructions, almost never contended (one thread allocates; other threads
// rarely free its blocks), so a spin lock costs less than a mutex on the parser's many small allocations.
class SpinLock {
 public:
  void lock() {
    while (flag_.test_and_set(std::memory_order_acquire)) {
      while (flag_.test(std::memory_order_relaxed)) {
      }
    }
  }
  void unlock() { flag_.clear(std::memory_order_release); }

 private:
  std::atomic_flag flag_;
};

struct Heap {
  SpinLock mutex;
  std::atomic<std::uintptr_t> mappedEnd{kBase};  // [kBase, mappedEnd) is ours
  std::uintptr_t top = kBase;                    // next unused byte
  std::array<FreeBlock*, kClasses> freeLists{};
  std::atomic<bool> unusable{false};
};

constinit Heap gHeap;
constinit thread_local int tScopeDepth = 0;

// Above 1 KiB: 2^e < n <= 2^(e+1) split in four steps of 2^(e-2).
std::size_t classOf(std::size_t n) {
  if (n <= kSmallMax) return (n + kSmallStep - 1) / kSmallStep;
  const auto e = static_cast<std::size_t>(std::bit_width(n - 1)) - 1;
  const std::size_t step = std::size_t{1} << (e - 2);
  const std::size_t q = (n - (std::size_t{1} << e) + step - 1) / step;  // 1..4
  return kSmallClasses + (e - 10) * kStepsPerDoubling + (q - 1);
}

std::size_t classBytes(std::size_t cls) {
  if (cls < kSmallClasses) return cls * kSmallStep;
  const std::size_t i = cls - kSmallClasses;
  const std::size_t e = 10 + i / kStepsPerDoubling;
  return (std::size_t{1} << e) + (i % kStepsPerDoubling + 1) * (std::size_t{1} << (e - 2));
}

bool ours(const void* p) {
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  return a >= kBase && a < gHeap.mappedEnd.load(std::memory_order_acquire);
}

// Maps more of the range so that [top, top + bytes) is usable. False: out of memory (or the range is taken).
bool growTo(std::uintptr_t wanted) {
  std::uintptr_t end = gHeap.mappedEnd.load(std::memory_order_relaxed);
  if (wanted <= end) return true;
  if (wanted > kLimit) return false;
  const std::size_t length = ((wanted - end + kMapStep - 1) / kMapStep) * kMapStep;
  void* p = ::mmap(reinterpret_cast<void*>(end), length, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == MAP_FAILED) {
    if (errno == EEXIST) gHeap.unusable.store(true);
    return false;
  }
  if (reinterpret_cast<std::uintptr_t>(p) != end) {  // an old kernel ignoring MAP_FIXED_NOREPLACE
    ::munmap(p, length);
    gHeap.unusable.store(true);
    return false;
  }
  // Huge pages where the system allows them on request: far fewer page faults on the fresh memory (glibc's malloc
  // would reuse freed memory across sizes; these size classes do not).
  ::madvise(p, length, MADV_HUGEPAGE);
  gHeap.mappedEnd.store(end + length, std::memory_order_release);
  return true;
}

// nullptr: out of memory, or the heap is unusable (the caller then tries malloc).
void* heapAllocate(std::size_t n) {
  const std::size_t cls = classOf(n == 0 ? 1 : n);
  if (cls >= kClasses) return nullptr;
  std::lock_guard lock(gHeap.mutex);
  if (FreeBlock* b = gHeap.freeLists[cls]) {
    gHeap.freeLists[cls] = b->next;
    return b;
  }
  const std::size_t block = kHeader + classBytes(cls);
  if (!growTo(gHeap.top + block)) return nullptr;
  auto* header = reinterpret_cast<std::size_t*>(gHeap.top);
  *header = cls;
  gHeap.top += block;
  return reinterpret_cast<char*>(header) + kHeader;
}

void heapFree(void* p) {
  const std::size_t cls = *reinterpret_cast<const std::size_t*>(static_cast<char*>(p) - kHeader);
  std::lock_guard lock(gHeap.mutex);
  auto* b = static_cast<FreeBlock*>(p);
  b->next = gHeap.freeLists[cls];
  gHeap.freeLists[cls] = b;
}

void* allocate(std::size_t n, bool nothrow) {
  for (;;) {
    void* p = nullptr;
    if (tScopeDepth > 0 && !gHeap.unusable.load(std::memory_order_relaxed)) {
      p = heapAllocate(n);
      if (!p && gHeap.unusable.load()) p = std::malloc(n == 0 ? 1 : n);
    } else {
      p = std::malloc(n == 0 ? 1 : n);
    }
    if (p) return p;
    std::new_handler handler = std::get_new_handler();
    if (!handler) {
      if (nothrow) return nullptr;
      throw std::bad_alloc();
    }
    handler();
  }
}

void release(void* p) {
  if (!p) return;
  if (ours(p)) {
    heapFree(p);
  } else {
    std::free(p);
  }
}

}  // namespace

DeterministicHeapScope::DeterministicHeapScope() { ++tScopeDepth; }
DeterministicHeapScope::~DeterministicHeapScope() { --tScopeDepth; }

bool deterministicHeapUsable() { return !gHeap.unusable.load(); }

}  // namespace gt::bim

// The replaceable global allocation functions (the aligned forms keep the library's own, which use
// aligned_alloc/free: nothing of ours reaches them).
void* operator new(std::size_t n) { return gt::bim::allocate(n, false); }
void* operator new[](std::size_t n) { return gt::bim::allocate(n, false); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return gt::bim::allocate(n, true);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return gt::bim::allocate(n, true);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { gt::bim::release(p); }
void operator delete[](void* p) noexcept { gt::bim::release(p); }
void operator delete(void* p, std::size_t) noexcept { gt::bim::release(p); }
void operator delete[](void* p, std::size_t) noexcept { gt::bim::release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { gt::bim::release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { gt::bim::release(p); }
