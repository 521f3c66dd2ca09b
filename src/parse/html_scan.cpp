#include "parse/html_scan.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace rl::html {

const Attr* Element::attr(std::string_view n) const {
  for (const Attr& a : attrs)
    if (a.name == n) return &a;
  return nullptr;
}

namespace {

constexpr std::string_view kWanted[] = {"a", "area", "base", "iframe", "img", "link", "meta", "script", "source"};

bool wanted(std::string_view name) { return std::find(std::begin(kWanted), std::end(kWanted), name) != std::end(kWanted); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/// A raw attribute of a start tag: name and value range.
struct RawAttr {
  std::string name;
  std::size_t begin = 0, end = 0;
};

// Tokenises the start tag at `lt` (its '<') as the HTML tokenizer does (attribute names up to
// whitespace, '/', '>' or '='; values quoted or up to whitespace / '>'). Returns false when the bytes
// there are not a start tag named `name`.
bool raw_attrs(std::string_view page, std::size_t lt, std::string_view name, std::vector<RawAttr>& out) {
  std::size_t i = lt + 1;
  if (page.size() < i + name.size() || lower(page.substr(i, name.size())) != name) return false;
  i += name.size();
  if (i < page.size() && !space(page[i]) && page[i] != '>' && page[i] != '/') return false;
  while (i < page.size()) {
    while (i < page.size() && (space(page[i]) || page[i] == '/')) ++i;
    if (i >= page.size() || page[i] == '>') return true;
    std::size_t n = i;
    while (i < page.size() && !space(page[i]) && page[i] != '>' && page[i] != '=' && (page[i] != '/' || i == n)) ++i;
    RawAttr a{lower(page.substr(n, i - n)), 0, 0};
    while (i < page.size() && space(page[i])) ++i;
    if (i < page.size() && page[i] == '=') {
      ++i;
      while (i < page.size() && space(page[i])) ++i;
      if (i < page.size() && (page[i] == '"' || page[i] == '\'')) {
        char q = page[i++];
        std::size_t e = page.find(q, i);
        if (e == std::string_view::npos) return false;
        a.begin = i;
        a.end = e;
        i = e + 1;
      } else {
        a.begin = i;
        while (i < page.size() && !space(page[i]) && page[i] != '>') ++i;
        a.end = i;
      }
    } else {
      a.begin = a.end = i;
    }
    out.push_back(std::move(a));
  }
  return false;
}

struct State {
  std::string_view page;
  htmlParserCtxtPtr ctxt = nullptr;
  std::size_t searched = 0;  // start tags before this offset are taken
  std::vector<Element> out;
};

// The '<' of the start tag the parser has just read: the first '<name' at or after `searched`
// whose tokenised attributes match. The parser is at (or just before) the tag's '>' when it calls
// startElement, so the tag lies between `searched` and the consumed offset.
void locate(State& st, Element& el) {
  long consumed = xmlByteConsumed(st.ctxt);
  if (consumed < 0) return;
  std::size_t upto = std::min(st.page.size(), static_cast<std::size_t>(consumed) + 1);
  std::size_t at = st.searched;
  while (true) {
    std::size_t lt = st.page.find('<', at);
    if (lt == std::string_view::npos || lt >= upto) return;
    std::vector<RawAttr> raw;
    if (raw_attrs(st.page, lt, el.name, raw)) {
      el.begin = lt;
      el.located = true;
      st.searched = lt + 1;
      for (Attr& a : el.attrs)
        for (const RawAttr& r : raw)
          if (r.name == a.name) {
            a.value_begin = r.begin;
            a.value_end = r.end;
            break;
          }
      return;
    }
    at = lt + 1;
  }
}

void on_start(void* user, const xmlChar* name, const xmlChar** attrs) {
  State& st = *static_cast<State*>(user);
  std::string n = lower(reinterpret_cast<const char*>(name));
  if (!wanted(n)) return;
  Element el;
  el.name = n;
  el.line = static_cast<std::uint32_t>(xmlSAX2GetLineNumber(st.ctxt));
  for (int i = 0; attrs && attrs[i]; i += 2) {
    Attr a;
    a.name = lower(reinterpret_cast<const char*>(attrs[i]));
    if (attrs[i + 1]) a.value = reinterpret_cast<const char*>(attrs[i + 1]);
    el.attrs.push_back(std::move(a));
  }
  locate(st, el);
  if (n == "script" && el.located && !el.attr("src")) {
    std::size_t gt = st.page.find('>', el.begin);
    if (gt != std::string_view::npos) {
      el.content_begin = gt + 1;
      std::size_t e = el.content_begin;
      while ((e = st.page.find("</", e)) != std::string_view::npos && lower(st.page.substr(e + 2, 6)) != "script") e += 2;
      el.content_end = e == std::string_view::npos ? st.page.size() : e;
    }
  }
  st.out.push_back(std::move(el));
}

}  // namespace

std::vector<Element> scan(std::string_view page) {
  State st;
  st.page = page;
  if (page.empty() || page.size() > static_cast<std::size_t>(INT32_MAX)) return {};
  htmlSAXHandler sax;
  std::memset(&sax, 0, sizeof sax);
  sax.startElement = on_start;
  st.ctxt = htmlCreatePushParserCtxt(&sax, &st, nullptr, 0, nullptr, XML_CHAR_ENCODING_NONE);
  if (!st.ctxt) return {};
  htmlCtxtUseOptions(st.ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NOIMPLIED);
  htmlParseChunk(st.ctxt, page.data(), static_cast<int>(page.size()), 1);
  htmlFreeParserCtxt(st.ctxt);
  return std::move(st.out);
}

}  // namespace rl::html
