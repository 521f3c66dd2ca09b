#pragma once
/// The elements of an HTML page that redirlint reads (links, assets, canonical, meta refresh, inline
/// scripts), found by libxml2's HTML parser (SAX, HTML_PARSE_NONET | NOERROR | NOWARNING: no network,
/// no messages, the parser's own error recovery). Each attribute value keeps the byte range of its raw
/// text in the page, so that a diagnostic points at it and a fix rewrites those bytes only.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rl::html {

/// One attribute as the parser decoded it. [value_begin, value_end) is the raw value in the page
/// (inside the quotes, entities not decoded); both 0 when the parser's element could not be matched
/// to the bytes of a start tag (an element the parser implied).
struct Attr {
  std::string name;  ///< lower-cased
  std::string value; ///< decoded by the parser
  std::size_t value_begin = 0, value_end = 0;
  bool located() const { return value_end > value_begin || value_begin != 0; }
};

struct Element {
  std::string name;         ///< lower-cased tag name: a, link, img, script, meta, base, area, iframe, source
  std::size_t begin = 0;    ///< byte offset of its '<' (meaningful when `located`)
  bool located = false;     ///< false: the parser implied the element, or its bytes were not found
  std::uint32_t line = 0;   ///< 1-based line the parser reports for the start tag
  std::vector<Attr> attrs;
  /// script only: the raw bytes of its inline content are [content_begin, content_end) (empty with src=).
  std::size_t content_begin = 0, content_end = 0;
  const Attr* attr(std::string_view name) const;
};

/// The elements above, in document order. Never throws; a page the parser cannot read gives none.
std::vector<Element> scan(std::string_view page);

}  // namespace rl::html
