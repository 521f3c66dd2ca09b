#include "parse/nginx_lex.hpp"

#include "grammar/nginx.hpp"
#include "grammar/nginx_errors.hpp"

namespace rl::nginx {

namespace {

namespace g = rl::grammar::nginx;
namespace p = tao::pegtl;
namespace msg = rl::grammar::nginx::errors;

struct LexState {
  const char* base = nullptr;
  Lexed out;
  std::size_t batch = 0;  ///< 0: keep every token
  const std::function<void(std::vector<Token>&)>* sink = nullptr;
  bool sink_failed = false;

  std::size_t offset(const char* at) const { return static_cast<std::size_t>(at - base); }
  void punct(TokKind k, const char* at) {
    Token t;
    t.kind = k;
    t.begin = offset(at);
    t.end = t.begin + 1;
    push(std::move(t));
  }
  void push(Token t) {
    // Hand over what is buffered when `t` starts a new line after a `;` or `}`.
    if (batch && out.tokens.size() >= batch) {
      const Token& last = out.tokens.back();
      if ((last.kind == TokKind::semicolon || last.kind == TokKind::close) && last.end <= t.begin &&
          std::string_view(base + last.end, t.begin - last.end).find('\n') != std::string_view::npos) {
        try {
          (*sink)(out.tokens);
        } catch (...) {
          sink_failed = true;  // the reader's own exception, not a lexer failure: passed on
          throw;
        }
        out.tokens.clear();
      }
    }
    out.tokens.push_back(std::move(t));
  }
};

template <typename Rule>
struct action : p::nothing<Rule> {};

template <>
struct action<g::semicolon> {
  template <typename In>
  static void apply(const In& in, LexState& s) { s.punct(TokKind::semicolon, in.begin()); }
};
template <>
struct action<g::block_open> {
  template <typename In>
  static void apply(const In& in, LexState& s) { s.punct(TokKind::open, in.begin()); }
};
template <>
struct action<g::block_close> {
  template <typename In>
  static void apply(const In& in, LexState& s) { s.punct(TokKind::close, in.begin()); }
};

template <typename In>
void push_word(const In& in, LexState& s, bool quoted) {
  Token t;
  t.begin = s.offset(in.begin());
  t.end = s.offset(in.end());
  t.quoted = quoted;
  std::string_view raw(in.begin(), in.size());
  if (quoted) raw = raw.substr(1, raw.size() - 2);
  t.value = unescape(raw);
  s.push(std::move(t));
}

template <>
struct action<g::dq_string> {
  template <typename In>
  static void apply(const In& in, LexState& s) { push_word(in, s, true); }
};
template <>
struct action<g::sq_string> {
  template <typename In>
  static void apply(const In& in, LexState& s) { push_word(in, s, true); }
};
template <>
struct action<g::word> {
  template <typename In>
  static void apply(const In& in, LexState& s) { push_word(in, s, false); }
};
template <>
struct action<g::glued> {
  template <typename In>
  static void apply(const In& in, LexState& s) {
    std::size_t at = s.offset(in.begin());
    s.out.errors.push_back({at, at + 1, msg::glued_after_quote(s.base[at])});
  }
};
template <>
struct action<g::unterminated> {
  template <typename In>
  static void apply(const In& in, LexState& s) {
    std::size_t at = s.offset(in.begin());
    s.out.errors.push_back({at, at + 1, msg::unterminated_string(s.base[at]), true});
  }
};

}  // namespace

namespace {

void run(LexState& s, std::string_view text) {
  s.base = text.data();
  std::size_t nul = text.find('\0');
  if (nul != std::string_view::npos) s.out.errors.push_back({nul, nul + 1, msg::nul_byte()});
  try {
    p::memory_input<p::tracking_mode::lazy, p::eol::lf_crlf> in(text.data(), text.size(), "");
    p::parse<g::config, action>(in, s);
  } catch (const std::exception& e) {
    if (s.sink_failed) throw;
    // The grammar is total; this only guards against resource exhaustion.
    s.out.errors.push_back({0, 0, std::string("internal lexer error: ") + e.what()});
  }
}

}  // namespace

Lexed lex(std::string_view text) {
  LexState s;
  run(s, text);
  return std::move(s.out);
}

void lex(std::string_view text, std::size_t batch, const std::function<void(std::vector<Token>&)>& sink,
         std::vector<LexError>& errors) {
  LexState s;
  s.batch = batch;
  s.sink = &sink;
  run(s, text);
  if (!s.out.tokens.empty()) sink(s.out.tokens);
  for (LexError& e : s.out.errors) errors.push_back(std::move(e));
}

std::string unescape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      char n = raw[i + 1];
      if (n == '"' || n == '\'' || n == '\\') {
        out += n;
        ++i;
        continue;
      }
      if (n == 't' || n == 'r' || n == 'n') {
        out += n == 't' ? '\t' : n == 'r' ? '\r' : '\n';
        ++i;
        continue;
      }
    }
    out += c;
  }
  return out;
}

std::size_t value_offset(std::string_view file_text, const Token& t, std::size_t index) {
  std::size_t i = t.begin + (t.quoted ? 1 : 0);
  std::size_t stop = t.end - (t.quoted ? 1 : 0);
  std::size_t produced = 0;
  while (i < stop && produced < index) {
    if (file_text[i] == '\\' && i + 1 < stop) {
      char n = file_text[i + 1];
      if (n == '"' || n == '\'' || n == '\\' || n == 't' || n == 'r' || n == 'n') i += 2;
      else i += 1;
    } else {
      i += 1;
    }
    ++produced;
  }
  return i;
}

}  // namespace rl::nginx
