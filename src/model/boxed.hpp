#pragma once
/// Boxed<T>: a rarely-set member kept on the heap, so that it costs one pointer in every Rule (issue 8:
/// a million rules). Reads through a const box that was never written see a shared default T (all
/// false/empty); a write through `->` or `*` on a non-const box allocates it. Copies are deep, so a
/// Boxed<T> behaves like a plain T member except for the `->` spelling.
#include <memory>
#include <utility>

namespace rl {

template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(T value) : p_(std::make_unique<T>(std::move(value))) {}  // NOLINT: implicit like a T member
  Boxed(const Boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  ~Boxed() = default;

  /// The value, or the shared default when nothing was ever written. Never allocates.
  const T& operator*() const { return p_ ? *p_ : empty(); }
  const T* operator->() const { return &**this; }
  /// The value for writing: allocated (as a default T) on first use. Read through a const
  /// reference (std::as_const) where a read must not allocate.
  T& operator*() {
    if (!p_) p_ = std::make_unique<T>();
    return *p_;
  }
  T* operator->() { return &**this; }

  /// True once something was written (the value may still equal the default).
  bool allocated() const { return p_ != nullptr; }

 private:
  static const T& empty() {
    static const T e{};
    return e;
  }
  std::unique_ptr<T> p_;
};

}  // namespace rl
