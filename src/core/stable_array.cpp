#include "core/stable_array.h"

#include <new>

namespace epil::detail {

void* reserve_pages(size_t bytes) { return ::operator new(bytes == 0 ? 1 : bytes); }

void release_pages(void* p, size_t) { ::operator delete(p); }

}  // namespace epil::detail
