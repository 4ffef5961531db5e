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
#include <mutex>
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
constexpr std::size_t kClasses = kSmallClasses + 40;        // then powers of two from 2 KiB up to 2^40 bytes

struct FreeBlock {
  FreeBlock* next;
};

struct Heap {
  std::mutex mutex;
  std::atomic<std::uintptr_t> mappedEnd{kBase};  // [kBase, mappedEnd) is ours
  std::uintptr_t top = kBase;                    // next unused byte
  std::array<FreeBlock*, kClasses> freeLists{};
  std::atomic<bool> unusable{false};
};

constinit Heap gHeap;
constinit thread_local int tScopeDepth = 0;

std::size_t classOf(std::size_t n) {
  if (n <= kSmallMax) return (n + kSmallStep - 1) / kSmallStep;
  return kSmallClasses + static_cast<std::size_t>(std::bit_width(n - 1)) - 11;  // 1025..2048: the first large class
}

std::size_t classBytes(std::size_t cls) {
  if (cls < kSmallClasses) return cls * kSmallStep;
  return std::size_t{1} << (cls - kSmallClasses + 11);
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
