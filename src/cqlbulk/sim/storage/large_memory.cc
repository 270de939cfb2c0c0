// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/storage/large_memory.h"

#include <new>

#include <sys/mman.h>

namespace cqlbulk::sim {
namespace {

constexpr size_t kPageBytes = 4096;
constexpr size_t kHugePageBytes = size_t{2} << 20;

size_t RoundUp(size_t bytes, size_t unit) { return (bytes + unit - 1) / unit * unit; }

class LargeAllocations final : public std::pmr::memory_resource {
 private:
  void* do_allocate(size_t bytes, size_t alignment) override {
    if (bytes < kLargeAllocationBytes || alignment > kPageBytes) {
      return std::pmr::new_delete_resource()->allocate(bytes, alignment);
    }
    size_t mapped = RoundUp(bytes, kPageBytes);
    void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    if (mapped >= kHugePageBytes) madvise(p, mapped, MADV_HUGEPAGE);  // a hint: failure is fine
#endif
    return p;
  }

  void do_deallocate(void* p, size_t bytes, size_t alignment) override {
    if (bytes < kLargeAllocationBytes || alignment > kPageBytes) {
      std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
      return;
    }
    munmap(p, RoundUp(bytes, kPageBytes));
  }

  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }
};

}  // namespace

std::pmr::memory_resource* LargeAllocationResource() noexcept {
  static LargeAllocations resource;
  return &resource;
}

}  // namespace cqlbulk::sim
