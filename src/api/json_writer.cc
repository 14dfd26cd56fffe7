#include "api/json_writer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>
#include <utility>

#include "common/text.h"

namespace tenure::api {
namespace {

// The bytes that cannot go into a JSON string as they are: control
// characters, the quote and the backslash; and the bytes of multi-byte UTF-8,
// which are checked.
constexpr std::array<bool, 256> kSpecial = [] {
  std::array<bool, 256> special{};
  for (int c = 0; c < 256; ++c) special[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
  return special;
}();

// The length of the start of `text` that holds no special byte. Eight bytes
// at a time: a profile writes some thousand strings, and the byte-by-byte
// loop was a tenth of its JSON time.
size_t PlainPrefix(std::string_view text) {
  constexpr uint64_t kOnes = 0x0101010101010101;
  constexpr uint64_t kHigh = 0x8080808080808080;
  // The high bit of each byte of x that is below n (n <= 0x80). The lowest
  // such bit marks the first such byte exactly; bits above it may be wrong.
  auto below = [](uint64_t x, uint64_t n) { return (x - kOnes * n) & ~x & kHigh; };
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, text.data() + i, 8);
    uint64_t special =
        below(x, 0x20) | below(x ^ (kOnes * '"'), 1) | below(x ^ (kOnes * '\\'), 1) | (x & kHigh);
    if (special != 0) {
      if constexpr (std::endian::native == std::endian::little) {
        return i + static_cast<size_t>(std::countr_zero(special)) / 8;
      }
      break;  // big-endian: the bytes of this word one by one below
    }
  }
  while (i < text.size() && !kSpecial[static_cast<unsigned char>(text[i])]) ++i;
  return i;
}

}  // namespace

void JsonWriter::Grow(size_t n) { out_.resize(std::max(2 * out_.size(), size_ + n)); }

void JsonWriter::Separate() {
  if (comma_) Put(',');
  comma_ = false;
}

JsonWriter& JsonWriter::Open(char bracket) {
  Separate();
  Put(bracket);
  return *this;
}

JsonWriter& JsonWriter::Close(char bracket) {
  Put(bracket);
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view name) {
  WriteString(name, ':');
  comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view text) {
  WriteString(text, '\0');
  comma_ = true;
  return *this;
}

void JsonWriter::WriteString(std::string_view text, char after) {
  // Most text needs no escape: the comma, the quotes, the text and `after`
  // go in with one check for room. From the first byte that may need an
  // escape on, byte by byte.
  const size_t plain = PlainPrefix(text);
  if (size_ + plain + 4 > out_.size()) Grow(plain + 4);
  char* out = out_.data() + size_;
  if (comma_) *out++ = ',';
  *out++ = '"';
  std::memcpy(out, text.data(), plain);
  out += plain;
  size_ = static_cast<size_t>(out - out_.data());
  if (plain < text.size()) AppendEscaped(text.substr(plain));
  Put('"');
  if (after != '\0') Put(after);
}

void JsonWriter::AppendEscaped(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t i = 0;
  while (i < text.size()) {
    // A run of bytes that go in as they are, well-formed UTF-8 included (a
    // Chinese name is all multi-byte), is copied in one piece.
    size_t run = i;
    while (run < text.size()) {
      unsigned char c = static_cast<unsigned char>(text[run]);
      if (!kSpecial[c]) {
        ++run;
      } else if (size_t length = c >= 0x80 ? Utf8SequenceLength(text.substr(run)) : 0; length > 0) {
        run += length;
      } else {
        break;
      }
    }
    Put(text.substr(i, run - i));
    i = run;
    if (i == text.size()) break;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      Put("\xEF\xBF\xBD");  // U+FFFD for one stray byte
      ++i;
      continue;
    }
    switch (c) {
      case '"':
        Put("\\\"");
        break;
      case '\\':
        Put("\\\\");
        break;
      case '\b':
        Put("\\b");
        break;
      case '\f':
        Put("\\f");
        break;
      case '\n':
        Put("\\n");
        break;
      case '\r':
        Put("\\r");
        break;
      case '\t':
        Put("\\t");
        break;
      default:
        Put("\\u00");
        Put(kHex[c >> 4]);
        Put(kHex[c & 0xF]);
    }
    ++i;
  }
}

JsonWriter& JsonWriter::Int(int64_t n) {
  Separate();
  char buffer[24];
  auto end = std::to_chars(buffer, buffer + sizeof buffer, n).ptr;
  Put(std::string_view(buffer, static_cast<size_t>(end - buffer)));
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Double(double x) {
  if (!std::isfinite(x)) return Null();
  Separate();
  char buffer[32];
  auto end = std::to_chars(buffer, buffer + sizeof buffer, x).ptr;
  std::string_view text(buffer, static_cast<size_t>(end - buffer));
  Put(text);
  if (text.find_first_of(".e") == std::string_view::npos) Put(".0");
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Decimal(int64_t units, int decimals) {
  Separate();
  char buffer[48];
  char* out = buffer;
  if (units < 0) *out++ = '-';
  // The magnitude in unsigned arithmetic, which INT64_MIN also has.
  const uint64_t magnitude = units < 0 ? 0 - static_cast<uint64_t>(units) : units;
  uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  out = std::to_chars(out, std::end(buffer), magnitude / scale).ptr;
  *out++ = '.';
  uint64_t fraction = magnitude % scale;
  if (fraction == 0) {
    *out++ = '0';
  } else {
    int digits = decimals;
    while (fraction % 10 == 0) {
      fraction /= 10;
      --digits;
    }
    // Leading zeros, then the digits that are left.
    char* end = out + digits;
    for (char* p = end; p != out; fraction /= 10) *--p = static_cast<char>('0' + fraction % 10);
    out = end;
  }
  Put(std::string_view(buffer, static_cast<size_t>(out - buffer)));
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Bool(bool b) {
  Separate();
  Put(b ? "true" : "false");
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separate();
  Put("null");
  comma_ = true;
  return *this;
}

std::string JsonWriter::Take() {
  out_.resize(size_);
  size_ = 0;
  comma_ = false;
  return std::exchange(out_, std::string());
}

}  // namespace tenure::api
