#include "checks/fixes.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace rl {

namespace {

std::size_t offset_of(const SourceFile& f, std::uint32_t line, std::uint32_t column) {
  if (line == 0) return 0;
  if (line > f.line_starts.size()) return f.text.size();
  std::size_t o = f.line_starts[line - 1] + (column ? column - 1 : 0);
  return std::min(o, f.text.size());
}

struct Span {
  std::size_t begin, end;
  std::string text;
};

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b < s.size()) {
    std::size_t e = s.find('\n', b);
    if (e == std::string::npos) e = s.size() - 1;
    out.push_back(s.substr(b, e - b + 1));
    b = e + 1;
  }
  return out;
}

// Myers' O(ND) diff: for each line of a and b, whether it is kept. False when D exceeds `max_d`.
bool myers(const std::vector<std::string>& a, const std::vector<std::string>& b, std::vector<char>& keep_a,
           std::vector<char>& keep_b, int max_d) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size()), off = max_d + 1;
  std::vector<std::vector<int>> trace;
  std::vector<int> v(static_cast<std::size_t>(2 * off + 1), 0);
  int found = -1;
  for (int d = 0; d <= max_d && found < 0; ++d) {
    trace.push_back(v);
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[k - 1 + off] < v[k + 1 + off])) ? v[k + 1 + off] : v[k - 1 + off] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[k + off] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return false;
  keep_a.assign(a.size(), 0);
  keep_b.assign(b.size(), 0);
  int x = n, y = m;
  for (int d = found; d > 0; --d) {
    const std::vector<int>& pv = trace[static_cast<std::size_t>(d)];
    int k = x - y;
    int pk = (k == -d || (k != d && pv[k - 1 + off] < pv[k + 1 + off])) ? k + 1 : k - 1;
    int px = pv[pk + off], py = px - pk;
    while (x > px && y > py) {
      --x, --y;
      keep_a[x] = keep_b[y] = 1;
    }
    x = px;
    y = py;
  }
  while (x > 0 && y > 0) {
    --x, --y;
    keep_a[x] = keep_b[y] = 1;
  }
  return true;
}

}  // namespace

FixResult apply_fixes(const std::vector<Diagnostic>& diags, const SourceFiles& files, bool unsafe) {
  FixResult res;
  res.applied.assign(diags.size(), false);
  // Accepted spans per file, ordered by (begin, end). They never overlap, so a new span can only clash
  // with its neighbours: the look-up is logarithmic, and 10^5 fixes stay linear-ish (issue 8).
  auto by_position = [](const Span& a, const Span& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; };
  std::map<FileId, std::set<Span, decltype(by_position)>> spans;
  auto clashes = [&](const std::set<Span, decltype(by_position)>& set, const Span& s) {
    auto it = set.lower_bound(Span{s.begin, 0, {}});
    if (it != set.begin()) --it;  // the span before may reach over s.begin
    for (; it != set.end() && it->begin <= s.end; ++it) {
      if (s.begin < it->end && it->begin < s.end) return true;
      if (s.begin == s.end && it->begin == it->end && s.begin == it->begin) return true;
    }
    return false;
  };
  for (bool pass_unsafe : {true, false}) {
    if (pass_unsafe && !unsafe) continue;
    for (std::size_t i = 0; i < diags.size(); ++i) {
      const auto& fix = diags[i].fix;
      if (!fix || fix->safe == pass_unsafe || fix->edits.empty()) continue;
      std::vector<std::pair<FileId, Span>> mine;
      bool clash = false;
      for (const Edit& e : fix->edits) {
        if (e.range.file >= files.size()) {
          clash = true;
          break;
        }
        const SourceFile& f = files.get(e.range.file);
        Span s{offset_of(f, e.range.line, e.range.column), offset_of(f, e.range.end_line, e.range.end_column), e.replacement};
        if (s.end < s.begin) clash = true;
        auto found = spans.find(e.range.file);
        if (!clash && found != spans.end() && clashes(found->second, s)) clash = true;
        mine.push_back({e.range.file, std::move(s)});
      }
      if (clash) continue;
      for (auto& [fid, s] : mine) spans.try_emplace(fid, by_position).first->second.insert(std::move(s));
      res.applied[i] = true;
    }
  }
  for (auto& [fid, list] : spans) {
    const std::string& before = files.get(fid).text;
    std::string text;
    text.reserve(before.size());
    std::size_t at = 0;
    for (const Span& s : list) {  // ascending: copy up to each span, then its replacement
      text.append(before, at, s.begin - at);
      text += s.text;
      at = s.end;
    }
    text.append(before, at, std::string::npos);
    if (text != before) res.texts[fid] = std::move(text);
  }
  return res;
}

std::string unified_diff(const std::string& path, const std::string& before, const std::string& after) {
  if (before == after) return "";
  std::vector<std::string> a = split_lines(before), b = split_lines(after);
  std::vector<char> ka, kb;
  if (!myers(a, b, ka, kb, 4000)) {
    ka.assign(a.size(), 0);
    kb.assign(b.size(), 0);
  }
  // Walk both sides into a list of (op, line) then cut hunks with 3 lines of context.
  struct Op {
    char op;
    const std::string* line;
  };
  std::vector<Op> ops;
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && !ka[i]) ops.push_back({'-', &a[i++]});
    else if (j < b.size() && !kb[j]) ops.push_back({'+', &b[j++]});
    else ops.push_back({' ', &a[i++]}), ++j;
  }
  std::string out = "--- " + path + "\n+++ " + path + "\n";
  const std::size_t ctx = 3;
  std::size_t k = 0;
  while (k < ops.size()) {
    while (k < ops.size() && ops[k].op == ' ') ++k;
    if (k >= ops.size()) break;
    std::size_t start = k >= ctx ? k - ctx : 0, end = k;
    // Extend while changes are within 2*ctx of each other.
    while (end < ops.size()) {
      if (ops[end].op != ' ') {
        ++end;
        continue;
      }
      std::size_t run = end;
      while (run < ops.size() && ops[run].op == ' ') ++run;
      if (run < ops.size() && run - end <= 2 * ctx) end = run;
      else {
        end = std::min(ops.size(), end + ctx);
        break;
      }
    }
    std::size_t a_line = 1, b_line = 1;
    for (std::size_t q = 0; q < start; ++q) {
      if (ops[q].op != '+') ++a_line;
      if (ops[q].op != '-') ++b_line;
    }
    std::size_t a_len = 0, b_len = 0;
    std::string body;
    for (std::size_t q = start; q < end; ++q) {
      if (ops[q].op != '+') ++a_len;
      if (ops[q].op != '-') ++b_len;
      body += ops[q].op + *ops[q].line;
      if (body.back() != '\n') body += "\n\\ No newline at end of file\n";
    }
    out += "@@ -" + std::to_string(a_len ? a_line : a_line - 1) + "," + std::to_string(a_len) + " +" +
           std::to_string(b_len ? b_line : b_line - 1) + "," + std::to_string(b_len) + " @@\n" + body;
    k = end;
  }
  return out;
}

}  // namespace rl
