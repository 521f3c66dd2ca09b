#include "parse/yaml_util.hpp"
#include "util/hex.hpp"

#include <algorithm>
#include <cctype>

namespace rl::file_rules {

namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours
// ("form" is one edit from "from").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

}  // namespace

std::string percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return out;
}

std::string template_literal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '$' || c == '%') out.push_back(c);
    out.push_back(c);
  }
  return out;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& known) {
  if (word.size() > 64) return {};  // not a misspelling; keeps the quadratic table small
  std::size_t best = std::string_view::npos;
  std::string_view best_name;
  for (std::string_view k : known) {
    std::size_t d = edit_distance(word, k);
    if (d < best) {
      best = d;
      best_name = k;
    }
  }
  std::size_t limit = std::max<std::size_t>(1, std::max(word.size(), best_name.size()) / 3);
  return best <= limit ? std::string(best_name) : std::string();
}

bool valid_iso_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
  int year = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
  int month = (d[5] - '0') * 10 + (d[6] - '0');
  int day = (d[8] - '0') * 10 + (d[9] - '0');
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int max_day = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= max_day;
}

std::size_t count_occurrences(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t p = text.find(needle); p != std::string_view::npos; p = text.find(needle, p + needle.size())) ++n;
  return n;
}

std::string ascii_lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

bool split_url(std::string_view url, std::string& scheme, std::string& host, std::string& path) {
  std::string head = ascii_lower(url.substr(0, std::min<std::size_t>(url.size(), 8)));
  std::size_t skip = 0;
  if (head.rfind("https://", 0) == 0) {
    scheme = "https";
    skip = 8;
  } else if (head.rfind("http://", 0) == 0) {
    scheme = "http";
    skip = 7;
  } else {
    return false;
  }
  std::string_view rest = url.substr(skip);
  std::size_t slash = rest.find_first_of("/?#");
  host = ascii_lower(rest.substr(0, slash));
  path = slash == std::string_view::npos ? std::string("/") : std::string(rest.substr(slash));
  if (path.empty() || path[0] != '/') path.insert(path.begin(), '/');
  return true;
}

}  // namespace rl::file_rules
