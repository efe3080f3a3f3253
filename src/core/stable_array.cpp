#include "core/stable_array.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace epil::detail {

namespace {
constexpr size_t kHugePage = size_t{2} << 20;  // x86-64's

// Smaller reservations stay with the allocator: a huge page for them would mostly be waste.
// So do all under AddressSanitizer, which checks the allocator's blocks, not our mappings.
bool mapped(size_t bytes) {
#if defined(__SANITIZE_ADDRESS__)
  (void)bytes;
  return false;
#else
  return bytes >= kHugePage;
#endif
}
}  // namespace

void* reserve_pages(size_t bytes) {
  if (!mapped(bytes)) return ::operator new(bytes == 0 ? 1 : bytes);
  // Mapped with a huge page's worth to spare, so that the array can start on a huge-page
  // boundary; MAP_NORESERVE: address space only, pages are committed when written.
  size_t span = bytes + kHugePage;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto start = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  // The unused head and tail go back; what is left is exactly [aligned, aligned + bytes).
  if (aligned > start) munmap(raw, aligned - start);
  uintptr_t end = start + span, used_end = aligned + bytes;
  static const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  used_end = (used_end + page - 1) & ~(page - 1);
  if (end > used_end) munmap(reinterpret_cast<void*>(used_end), end - used_end);
#ifdef MADV_HUGEPAGE
  madvise(reinterpret_cast<void*>(aligned), bytes, MADV_HUGEPAGE);  // a hint: failure is fine
#endif
  return reinterpret_cast<void*>(aligned);
}

void release_pages(void* p, size_t bytes) {
  if (!mapped(bytes)) {
    ::operator delete(p);
    return;
  }
  munmap(p, bytes);
}

}  // namespace epil::detail
