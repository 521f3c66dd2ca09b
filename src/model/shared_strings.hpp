#pragma once
/// SharedStrings: a short list of strings that many rules hold alike (every rule of a <VirtualHost>
/// has its host names), stored once and shared (issue 8: a million rules). It reads like a
/// `const std::vector<std::string>` (and converts to one); writes (push_back, clear, assignment)
/// replace this rule's list and never show in another rule.
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rl {

class SharedStrings {
 public:
  using value_type = std::string;
  using const_iterator = std::vector<std::string>::const_iterator;
  using iterator = const_iterator;

  SharedStrings() = default;
  SharedStrings(std::vector<std::string> v)  // NOLINT: implicit like the vector it replaces
      : p_(v.empty() ? nullptr : std::make_shared<const std::vector<std::string>>(std::move(v))) {}
  SharedStrings(std::initializer_list<std::string> v) : SharedStrings(std::vector<std::string>(v)) {}

  /// The list (a shared empty one when unset).
  const std::vector<std::string>& list() const { return p_ ? *p_ : empty_list(); }
  operator const std::vector<std::string>&() const { return list(); }  // NOLINT: reads as a vector

  const_iterator begin() const { return list().begin(); }
  const_iterator end() const { return list().end(); }
  std::size_t size() const { return list().size(); }
  bool empty() const { return list().empty(); }
  const std::string& operator[](std::size_t i) const { return list()[i]; }
  const std::string& front() const { return list().front(); }
  const std::string& back() const { return list().back(); }

  /// Appends to this rule's own copy of the list.
  void push_back(std::string s) {
    auto v = std::make_shared<std::vector<std::string>>(list());
    v->push_back(std::move(s));
    p_ = std::move(v);
  }
  void clear() { p_.reset(); }

  friend bool operator==(const SharedStrings& a, const SharedStrings& b) {
    return a.p_ == b.p_ || a.list() == b.list();
  }
  friend bool operator==(const SharedStrings& a, const std::vector<std::string>& b) { return a.list() == b; }

 private:
  static const std::vector<std::string>& empty_list() {
    static const std::vector<std::string> e;
    return e;
  }
  std::shared_ptr<const std::vector<std::string>> p_;
};

}  // namespace rl
