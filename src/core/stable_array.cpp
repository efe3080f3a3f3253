#include "core/stable_array.h"

#include <sys/mman.h>

#include <cstdint>

namespace epil::detail {

namespace {
constexpr size_t kHugePage = size_t{2} << 20;
// Smaller reservations stay with the allocator: a huge page for them would mostly be waste.
constexpr size_t kHugeFrom = kHugePage;
}  // namespace

void* reserve_pages(size_t bytes) {
  if (bytes < kHugeFrom) return ::operator new(bytes == 0 ? 1 : bytes);
  // Mapped with a huge page's worth to spare, so that the array can start on a huge-page
  // boundary; MAP_NORESERVE: address space only, pages are committed when written.
  size_t mapped = bytes + kHugePage;
  void* raw = mmap(nullptr, mapped, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto start = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  // The unused head and tail go back; what is left is exactly [aligned, aligned + bytes).
  if (aligned > start) munmap(raw, aligned - start);
  uintptr_t end = start + mapped, used_end = aligned + bytes;
  uintptr_t page = 4096;
  used_end = (used_end + page - 1) & ~(page - 1);
  if (end > used_end) munmap(reinterpret_cast<void*>(used_end), end - used_end);
#ifdef MADV_HUGEPAGE
  madvise(reinterpret_cast<void*>(aligned), bytes, MADV_HUGEPAGE);  // a hint: failure is fine
#endif
  return reinterpret_cast<void*>(aligned);
}

void release_pages(void* p, size_t bytes) {
  if (bytes < kHugeFrom) {
    ::operator delete(p);
    return;
  }
  munmap(p, bytes);
}

}  // namespace epil::detail
