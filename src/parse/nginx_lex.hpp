#pragma once
/// The nginx reader's first stage: bytes -> tokens (grammar/nginx.hpp), with nginx's escapes applied.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace rl::nginx {

enum class TokKind { word, semicolon, open, close };

struct Token {
  TokKind kind = TokKind::word;
  std::size_t begin = 0, end = 0;  ///< byte offsets [begin, end) in the file, quotes included
  std::string value;               ///< word text after quote removal and escapes (as nginx stores it)
  bool quoted = false;
};

struct LexError {
  std::size_t begin = 0, end = 0;  ///< byte offsets of the offending text
  std::string message;
  bool runs_to_eof = false;  ///< an unclosed string: everything after it was swallowed
};

struct Lexed {
  std::vector<Token> tokens;
  std::vector<LexError> errors;
};

/// Splits a whole file into tokens; never fails (lexical errors are returned alongside).
Lexed lex(std::string_view text);

/// The same tokens handed to `sink` in batches of about `batch` tokens, so that a large file is never
/// held as one token vector (issue 8). A batch ends only at a `;` or `}` that is the last token on its
/// line: a reader that looks one token ahead, or to the end of a line, never needs the next batch.
/// The sink may consume (move from) the tokens. Lexical errors are appended to `errors`.
void lex(std::string_view text, std::size_t batch, const std::function<void(std::vector<Token>&)>& sink,
         std::vector<LexError>& errors);

/// nginx's escape processing of a token's raw text (quotes already removed): `\"` `\'` `\\` give the
/// character, `\t` `\r` `\n` the control character, any other `\x` is kept as written.
std::string unescape(std::string_view raw);

/// The byte offset in the file of character `index` of `t.value` (for columns inside a token).
std::size_t value_offset(std::string_view file_text, const Token& t, std::size_t index);

}  // namespace rl::nginx
