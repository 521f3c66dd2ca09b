#pragma once
/// Boxed<T>: a rarely-set member kept on the heap, so that it costs one pointer in every Rule (issue 8:
/// a million rules). Reads through a const box that was never written see a shared default T (all
/// false/empty); a write through `->` or `*` on a non-const box allocates it. Copies are deep, so a
/// Boxed<T> behaves like a plain T member except for the `->` spelling.
#include <initializer_list>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

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

namespace rl {

/// BoxedVector<T>: a usually-empty std::vector member kept on the heap (one pointer instead of three:
/// the server-only lists of a Block that a million `location`s leave empty). It reads like the
/// vector (and converts to `const std::vector<T>&`); mutating calls allocate it on first use.
template <typename T>
class BoxedVector {
 public:
  using vector_type = std::vector<T>;
  using value_type = T;
  using size_type = typename vector_type::size_type;
  using iterator = typename vector_type::iterator;
  using const_iterator = typename vector_type::const_iterator;
  using reference = T&;
  using const_reference = const T&;

  BoxedVector() = default;
  BoxedVector(vector_type v)  // NOLINT: implicit like the vector it replaces
      : p_(v.empty() ? nullptr : std::make_unique<vector_type>(std::move(v))) {}
  BoxedVector(std::initializer_list<T> v) : BoxedVector(vector_type(v)) {}
  BoxedVector(const BoxedVector& o) : p_(o.p_ && !o.p_->empty() ? std::make_unique<vector_type>(*o.p_) : nullptr) {}
  BoxedVector(BoxedVector&&) noexcept = default;
  BoxedVector& operator=(const BoxedVector& o) {
    if (this != &o) p_ = o.p_ && !o.p_->empty() ? std::make_unique<vector_type>(*o.p_) : nullptr;
    return *this;
  }
  BoxedVector& operator=(BoxedVector&&) noexcept = default;
  ~BoxedVector() = default;

  /// The list (a shared empty one when never written). Never allocates.
  const vector_type& list() const { return p_ ? *p_ : none(); }
  operator const vector_type&() const { return list(); }  // NOLINT: reads as a vector
  /// The list for writing: allocated on first use.
  vector_type& mut() {
    if (!p_) p_ = std::make_unique<vector_type>();
    return *p_;
  }

  const_iterator begin() const { return list().begin(); }
  const_iterator end() const { return list().end(); }
  const_iterator cbegin() const { return begin(); }
  const_iterator cend() const { return end(); }
  // Non-const iteration of an unwritten box walks a shared empty vector (nothing to change).
  iterator begin() { return p_ ? p_->begin() : empty_mut().begin(); }
  iterator end() { return p_ ? p_->end() : empty_mut().end(); }
  size_type size() const { return list().size(); }
  bool empty() const { return list().empty(); }
  const T& operator[](size_type i) const { return list()[i]; }
  T& operator[](size_type i) { return mut()[i]; }
  const T& at(size_type i) const { return list().at(i); }
  T& at(size_type i) { return mut().at(i); }
  const T& front() const { return list().front(); }
  const T& back() const { return list().back(); }
  T& front() { return mut().front(); }
  T& back() { return mut().back(); }

  void push_back(const T& v) { mut().push_back(v); }
  void push_back(T&& v) { mut().push_back(std::move(v)); }
  template <typename... A>
  T& emplace_back(A&&... a) { return mut().emplace_back(std::forward<A>(a)...); }
  /// `pos` may come from begin()/end() of this box before it was allocated.
  template <typename... A>
  iterator insert(const_iterator pos, A&&... a) {
    const auto i = pos - list().begin();
    vector_type& v = mut();
    return v.insert(v.begin() + i, std::forward<A>(a)...);
  }
  iterator erase(const_iterator first, const_iterator last) {
    const auto i = first - list().begin(), j = last - list().begin();
    vector_type& v = mut();
    return v.erase(v.begin() + i, v.begin() + j);
  }
  iterator erase(const_iterator pos) { return erase(pos, pos + 1); }
  void clear() { p_.reset(); }
  void reserve(size_type n) { mut().reserve(n); }
  void resize(size_type n) { mut().resize(n); }

  friend bool operator==(const BoxedVector& a, const BoxedVector& b) { return a.list() == b.list(); }
  friend bool operator==(const BoxedVector& a, const vector_type& b) { return a.list() == b; }

 private:
  static const vector_type& none() {
    static const vector_type e;
    return e;
  }
  static vector_type& empty_mut() {
    static vector_type e;  // stays empty: only its begin()/end() are ever handed out
    return e;
  }
  std::unique_ptr<vector_type> p_;
};

/// BoxedOptional<T>: a usually-unset std::optional member kept on the heap (one pointer); reads like
/// the optional (and converts to `const std::optional<T>&`), assigning a value allocates it.
template <typename T>
class BoxedOptional {
 public:
  using optional_type = std::optional<T>;
  using value_type = T;

  BoxedOptional() = default;
  BoxedOptional(std::nullopt_t) {}  // NOLINT: like optional
  BoxedOptional(optional_type v)    // NOLINT: implicit like the optional it replaces
      : p_(v ? std::make_unique<optional_type>(std::move(v)) : nullptr) {}
  BoxedOptional(T v) : p_(std::make_unique<optional_type>(std::move(v))) {}  // NOLINT
  BoxedOptional(const BoxedOptional& o) : BoxedOptional(o.get()) {}
  BoxedOptional(BoxedOptional&&) noexcept = default;
  BoxedOptional& operator=(const BoxedOptional& o) {
    if (this != &o) *this = BoxedOptional(o.get());
    return *this;
  }
  BoxedOptional& operator=(BoxedOptional&&) noexcept = default;
  ~BoxedOptional() = default;

  /// The optional (a shared empty one when unset). Never allocates.
  const optional_type& get() const { return p_ ? *p_ : none(); }
  operator const optional_type&() const { return get(); }  // NOLINT: reads as an optional

  bool has_value() const { return p_ && p_->has_value(); }
  explicit operator bool() const { return has_value(); }
  const T& operator*() const { return *get(); }
  const T* operator->() const { return &*get(); }
  T& operator*() { return **p_; }
  T* operator->() { return &**p_; }
  const T& value() const { return get().value(); }
  template <typename U>
  T value_or(U&& d) const { return get().value_or(std::forward<U>(d)); }
  template <typename... A>
  T& emplace(A&&... a) {
    p_ = std::make_unique<optional_type>();
    return p_->emplace(std::forward<A>(a)...);
  }
  void reset() { p_.reset(); }

  friend bool operator==(const BoxedOptional& a, const BoxedOptional& b) { return a.get() == b.get(); }
  template <typename U>
  friend bool operator==(const BoxedOptional& a, const U& b) { return a.get() == b; }

 private:
  static const optional_type& none() {
    static const optional_type e;
    return e;
  }
  std::unique_ptr<optional_type> p_;
};

}  // namespace rl
