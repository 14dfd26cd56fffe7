// Which character encoding a CSV file is in, and its conversion to UTF-8 as
// it is read: what lets the importer take the files Excel and older ERPs
// write (UTF-16, Windows-1252) as well as UTF-8.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tenure::engine {

struct FileEncoding {
  // The iconv(3) name of the encoding the bytes are in ("UTF-8", "UTF-16LE",
  // "WINDOWS-1252", or what --encoding named).
  std::string name;
  // How it was found: "byte-order mark", "valid UTF-8", "not valid UTF-8 at
  // byte N", "--encoding".
  std::string how;
  size_t bom_bytes = 0;  // a byte-order mark to skip before converting
  bool utf8() const { return name == "UTF-8"; }
};

// The encoding of the file at `path`: a byte-order mark says UTF-8 or
// UTF-16; otherwise the whole file is checked, and one that is not valid
// UTF-8 is taken as Windows-1252 (a superset of Latin-1's printable
// characters). `requested` (--encoding; any name iconv knows, "latin-1"
// and "cp1252" too) wins when not empty. Errors: kIoError when the file
// cannot be read; kInvalidArgument (field "--encoding") for a name iconv
// does not know.
Result<FileEncoding> DetectFileEncoding(const std::string& path, const std::string& requested);

// Converts a stream of bytes in one encoding to UTF-8, a chunk at a time: a
// character split between two chunks is completed by the next call.
class Utf8Transcoder {
 public:
  ~Utf8Transcoder();
  // Errors: kInvalidArgument (field "--encoding") when iconv cannot convert
  // from `encoding`.
  static Result<std::unique_ptr<Utf8Transcoder>> Create(const std::string& encoding);
  // Appends the conversion of `in` to `out`. A byte that has no character in
  // the encoding becomes U+FFFD. With `last`, an incomplete character at the
  // end becomes U+FFFD as well.
  void Convert(std::string_view in, std::string& out, bool last);

 private:
  Utf8Transcoder() = default;
  void* cd_ = nullptr;   // iconv_t
  std::string pending_;  // the start of a character split at a chunk's end
};

}  // namespace tenure::engine
