#include <doctest/doctest.h>

#include <string>
#include <utility>

#include "model/model.hpp"

using namespace rl;

TEST_CASE("an unwritten box reads as the default value without allocating") {
  const Rule r;
  CHECK_FALSE(r.flags->qsa);
  CHECK(r.flags->other.empty());
  CHECK_FALSE(r.notes->until);
  CHECK_FALSE(r.flags.allocated());
  CHECK_FALSE(r.notes.allocated());
}

TEST_CASE("writing through a box allocates it and keeps the value") {
  Rule r;
  r.flags->qsa = true;
  r.notes->until = "2030-01-01";
  CHECK(r.flags.allocated());
  CHECK(std::as_const(r).flags->qsa);
  CHECK(*std::as_const(r).notes->until == "2030-01-01");
  CHECK_FALSE(std::as_const(r).flags->ne);
}

TEST_CASE("copies of a rule own their boxes: changing the copy leaves the original alone") {
  Rule a;
  a.flags->b_chars = "+";
  Rule b = a;
  b.flags->b_chars = "&";
  CHECK(a.flags->b_chars == "+");
  CHECK(b.flags->b_chars == "&");
  Rule c;
  c = a;
  CHECK(c.flags->b_chars == "+");
  Rule moved = std::move(c);
  CHECK(moved.flags->b_chars == "+");
  Rule empty;
  a = empty;  // assigning an unwritten box empties the target
  CHECK_FALSE(a.flags.allocated());
  CHECK(std::as_const(a).flags->b_chars.empty());
}

TEST_CASE("a rule stays small enough for a million of them in the 600 MiB budget") {
  // Issue 8: 1M rules, peak RSS <= 600 MiB with the source text, strings and checks. Rarely-set
  // members (RewriteFlags, Annotations) are boxed; a new large member belongs in a box too.
  CHECK(sizeof(Rule) <= 400);
}
