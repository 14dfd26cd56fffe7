// A JSON writer that appends compact text straight to a string, for replies
// too large to build as an nlohmann::json tree first: the customer profile,
// where the tree's allocations and its dump cost a third of the request.
// nlohmann::json only serialises a tree it holds; it has no streaming writer.
//
// The caller writes a well-formed document: a Key before each value inside an
// object, Begin and End in pairs. Strings are escaped as RFC 8259 asks; bytes
// that are not UTF-8 become U+FFFD (nlohmann's dump throws on them). Numbers
// that are not finite are written null, as nlohmann writes them.
//
// Thread safety: one writer per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tenure::api {

class JsonWriter {
 public:
  // `capacity`: the bytes to reserve, the size the caller expects.
  explicit JsonWriter(size_t capacity = 0) { out_.resize(capacity); }

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  // An object's member name; the next call writes its value.
  JsonWriter& Key(std::string_view name);

  JsonWriter& String(std::string_view text);
  JsonWriter& Int(int64_t n);
  // The shortest text that reads back as `x`; ".0" is added to a whole
  // number so that it stays a floating-point number to a typed client.
  JsonWriter& Double(double x);
  // units / 10^decimals written exactly, as a money amount of `decimals`
  // minor digits: no trailing zero, ".0" when whole ("12.5", "100000.0",
  // "-0.05"). Double gives the same text for amounts under 10^15 units,
  // except that it writes some round ones with an exponent ("1e+05").
  // REQUIRES: 0 <= decimals <= 18.
  JsonWriter& Decimal(int64_t units, int decimals);
  JsonWriter& Bool(bool b);
  JsonWriter& Null();

  // The text so far; the writer is empty afterwards.
  std::string Take();

 private:
  void Separate();                  // a comma before every value but the first in its container
  JsonWriter& Open(char bracket);   // a container's start
  JsonWriter& Close(char bracket);  // its end, a whole value
  // A comma when one is due, then `text` as a string, then `after` unless
  // it is '\0'.
  void WriteString(std::string_view text, char after);
  void AppendEscaped(std::string_view text);  // a string's text from its first special byte

  // out_ is a buffer whose first size_ bytes are written: an append copies
  // into room made ahead, without std::string's work on every small append
  // (the writer appends a few bytes at a time, some thousand times a reply).
  void Grow(size_t n);  // room for n more bytes
  void Put(char c) {
    if (size_ == out_.size()) Grow(1);
    out_[size_++] = c;
  }
  void Put(std::string_view text) {
    if (text.empty()) return;
    if (size_ + text.size() > out_.size()) Grow(text.size());
    std::memcpy(out_.data() + size_, text.data(), text.size());
    size_ += text.size();
  }

  std::string out_;
  size_t size_ = 0;
  bool comma_ = false;  // the last thing written was a whole value
};

}  // namespace tenure::api
