#include "engine/import/text_encoding.h"

#include <iconv.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "common/text.h"

namespace tenure::engine {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// The name iconv knows for what a user typed: "latin-1" and "cp-1252" read
// as "ISO-8859-1" and "WINDOWS-1252".
std::string IconvName(const std::string& requested) {
  std::string name;
  for (char c : requested) name += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  if (name == "LATIN-1" || name == "LATIN_1") return "ISO-8859-1";
  if (name == "CP-1252" || name == "WINDOWS1252" || name == "CP1252") return "WINDOWS-1252";
  if (name == "UTF8") return "UTF-8";
  return name;
}

}  // namespace

Result<FileEncoding> DetectFileEncoding(const std::string& path, const std::string& requested) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  std::vector<char> block(1 << 20);
  size_t got = std::fread(block.data(), 1, block.size(), file);
  FileEncoding found;
  std::string_view head(block.data(), got);
  if (head.starts_with("\xEF\xBB\xBF")) {
    found = {"UTF-8", "byte-order mark", 3};
  } else if (head.starts_with("\xFF\xFE")) {
    found = {"UTF-16LE", "byte-order mark", 2};
  } else if (head.starts_with("\xFE\xFF")) {
    found = {"UTF-16BE", "byte-order mark", 2};
  }
  if (!requested.empty()) {
    std::string name = IconvName(requested);
    iconv_t cd = iconv_open("UTF-8", name.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) {
      std::fclose(file);
      return Status::InvalidArgument(
          "unknown encoding '" + requested + "' (try UTF-8, UTF-16, WINDOWS-1252, LATIN-1)",
          "--encoding");
    }
    iconv_close(cd);
    // A byte-order mark of the encoding named is still skipped.
    size_t bom = (name == "UTF-8" && found.name == "UTF-8") ? 3 : 0;
    std::fclose(file);
    return FileEncoding{name, "--encoding", bom};
  }
  if (!found.name.empty()) {
    std::fclose(file);
    return found;
  }
  // No byte-order mark: UTF-8 when every byte of the file is, else Windows-1252.
  // A character split between two blocks is carried into the next.
  uint64_t end = 0;  // file offset just past the bytes read so far
  std::string text;
  while (got > 0) {
    end += got;
    text.append(block.data(), got);  // after the bytes carried from the last block
    uint64_t start = end - text.size();
    if (auto bad = InvalidUtf8Offset(text)) {
      // Bytes that may be a character cut at the block's end are checked
      // again with the next block.
      if (text.size() - *bad >= 4) {
        std::fclose(file);
        return FileEncoding{"WINDOWS-1252",
                            "not valid UTF-8 at byte " + std::to_string(start + *bad + 1), 0};
      }
      text.erase(0, *bad);
    } else {
      text.clear();
    }
    got = std::fread(block.data(), 1, block.size(), file);
  }
  if (!text.empty()) {
    std::fclose(file);
    return FileEncoding{"WINDOWS-1252",
                        "not valid UTF-8 at byte " + std::to_string(end - text.size() + 1), 0};
  }
  bool error = std::ferror(file);
  std::fclose(file);
  if (error) return Status::IoError("cannot read " + path);
  return FileEncoding{"UTF-8", "valid UTF-8", 0};
}

Utf8Transcoder::~Utf8Transcoder() {
  if (cd_ != nullptr) iconv_close(static_cast<iconv_t>(cd_));
}

Result<std::unique_ptr<Utf8Transcoder>> Utf8Transcoder::Create(const std::string& encoding) {
  iconv_t cd = iconv_open("UTF-8", IconvName(encoding).c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Status::InvalidArgument("cannot convert from '" + encoding + "' to UTF-8", "--encoding");
  }
  std::unique_ptr<Utf8Transcoder> transcoder(new Utf8Transcoder());
  transcoder->cd_ = cd;
  return transcoder;
}

void Utf8Transcoder::Convert(std::string_view in, std::string& out, bool last) {
  std::string input;
  if (!pending_.empty()) {
    input = std::move(pending_);
    input.append(in);
    in = input;
    pending_.clear();
  }
  iconv_t cd = static_cast<iconv_t>(cd_);
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  while (src_left > 0) {
    size_t start = out.size();
    out.resize(start + src_left * 4 + 16);
    char* dst = out.data() + start;
    size_t dst_left = out.size() - start;
    size_t done = iconv(cd, &src, &src_left, &dst, &dst_left);
    out.resize(out.size() - dst_left);
    if (done != static_cast<size_t>(-1)) break;
    if (errno == EILSEQ) {
      // A byte with no character (0x81 in Windows-1252): replace it, go on.
      out.append(kReplacement);
      ++src, --src_left;
    } else if (errno == EINVAL) {
      // The input ends inside a character: keep it for the next chunk.
      if (last) {
        out.append(kReplacement);
      } else {
        pending_.assign(src, src_left);
      }
      break;
    }  // E2BIG: the loop makes room and goes on
  }
}

}  // namespace tenure::engine
