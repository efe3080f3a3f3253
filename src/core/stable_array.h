// StableArray: an array that grows without ever moving, so that other threads may read its
// elements (through indices published with release/acquire order) while one thread appends.
// Room for the most elements it will hold is reserved at once; a page of it becomes memory
// only when an element is written there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>

namespace epil {

namespace detail {
// Address space for `bytes`, not yet memory. Large reservations are asked to be backed by
// huge pages where the system allows it: a batch reads them at random (a tree walked by every
// row, the shapes it leads to), and with 4 KB pages most of those reads would also miss the
// TLB. Never null (throws std::bad_alloc).
void* reserve_pages(size_t bytes);
void release_pages(void* p, size_t bytes);
}  // namespace detail

template <typename T>
class StableArray {
 public:
  explicit StableArray(size_t max)
      : base_(static_cast<T*>(detail::reserve_pages(max * sizeof(T)))), max_(max) {}
  ~StableArray() {
    for (size_t i = 0; i < size_; ++i) base_[i].~T();
    detail::release_pages(base_, max_ * sizeof(T));
  }
  StableArray(const StableArray&) = delete;
  StableArray& operator=(const StableArray&) = delete;

  T& operator[](size_t i) const { return base_[i]; }
  size_t size() const { return size_; }
  bool room(size_t n) const { return size_ + n <= max_; }
  /// Appends a default T and gives its index; the caller checked room(). One appender at a
  /// time.
  int32_t push() {
    new (base_ + size_) T();
    return static_cast<int32_t>(size_++);
  }
  /// Appends copies of n elements (of a trivially copyable T) and gives the first's index;
  /// the caller checked room(n).
  size_t append(const T* from, size_t n) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (n > 0) std::memcpy(static_cast<void*>(base_ + size_), from, n * sizeof(T));
    size_ += n;
    return size_ - n;
  }
  /// Forgets the elements from `n` on (of a trivially copyable T), which no reader was given.
  void shrink(size_t n) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (n < size_) size_ = n;
  }

 private:
  T* base_;
  size_t max_;
  size_t size_ = 0;
};

}  // namespace epil
