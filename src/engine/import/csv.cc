#include "engine/import/csv.h"

#include <csv.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/text.h"

namespace tenure::engine {
namespace {

constexpr size_t kMinChunkSize = 4096;

}  // namespace

CsvReader::~CsvReader() {
  if (parser_) csv_free(parser_.get());
  if (file_) std::fclose(file_);
}

Result<std::unique_ptr<CsvReader>> CsvReader::OpenFile(const std::string& path, size_t chunk_size) {
  std::unique_ptr<CsvReader> reader(new CsvReader());
  reader->path_ = path;
  reader->file_ = std::fopen(path.c_str(), "rb");
  if (reader->file_ == nullptr) {
    return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (fstat(fileno(reader->file_), &info) == 0) {
    if (S_ISDIR(info.st_mode)) return Status::IoError("cannot read " + path + ": is a directory");
    reader->file_size_ = static_cast<uint64_t>(info.st_size);
  }
  TENURE_RETURN_IF_ERROR(reader->InitParser());
  reader->chunk_.resize(std::max(chunk_size, kMinChunkSize));
  return reader;
}

Status CsvReader::InitParser() {
  if (parser_) csv_free(parser_.get());
  parser_ = std::make_unique<csv_parser>();
  // CSV_REPALL_NL: every line end is reported, so physical lines can be
  // counted.
  if (csv_init(parser_.get(), CSV_REPALL_NL) != 0) {
    parser_.reset();
    return Status::Internal("cannot initialise the CSV parser");
  }
  csv_set_delim(parser_.get(), static_cast<unsigned char>(delimiter_));
  return Status::Ok();
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, size_t chunk_size,
                                                   const std::string& encoding) {
  auto detected = DetectFileEncoding(path, encoding);
  if (!detected.ok()) return detected.status();
  return Open(path, *detected, chunk_size);
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path,
                                                   const FileEncoding& encoding,
                                                   size_t chunk_size) {
  auto reader = OpenFile(path, chunk_size);
  if (!reader.ok()) return reader.status();
  CsvReader& r = **reader;
  r.encoding_ = encoding;
  if (!encoding.utf8()) {
    auto transcoder = Utf8Transcoder::Create(encoding.name);
    if (!transcoder.ok()) return transcoder.status();
    r.transcoder_ = std::move(*transcoder);
  }
  return reader;
}

Result<std::unique_ptr<CsvReader>> CsvReader::OpenRange(const std::string& path, uint64_t begin,
                                                        uint64_t end, char delimiter,
                                                        int64_t first_line) {
  auto reader = OpenFile(path, 1 << 20);
  if (!reader.ok()) return reader.status();
  CsvReader& r = **reader;
  r.range_ = true;
  r.skip_bom_ = false;
  if (begin > end || end > r.file_size_ ||
      std::fseek(r.file_, static_cast<long>(begin), SEEK_SET) != 0) {
    return Status::IoError("cannot read " + path + " from byte " + std::to_string(begin));
  }
  r.first_chunk_ = false;
  r.remaining_ = end - begin;
  r.delimiter_ = delimiter;
  csv_set_delim(r.parser_.get(), static_cast<unsigned char>(delimiter));
  r.parse_line_ = first_line;
  return reader;
}

void CsvReader::OnField(void* data, size_t length, void* self) {
  auto* reader = static_cast<CsvReader*>(self);
  const char* text = static_cast<const char*>(data);
  size_t offset = reader->arena_.size();
  if (length > 0) {
    reader->arena_.append(text, length);
    reader->embedded_newlines_ += static_cast<int64_t>(std::count(text, text + length, '\n'));
  }
  reader->fields_.emplace_back(offset, length);
}

void CsvReader::OnRecordEnd(int terminator, void* self) {
  auto* reader = static_cast<CsvReader*>(self);
  size_t count = reader->fields_.size() - reader->record_first_field_;
  bool crlf_tail = count == 0 && terminator == '\n' && reader->last_terminator_ == '\r';
  reader->last_terminator_ = terminator;
  if (crlf_tail) return;  // the '\n' of a "\r\n" that already ended the record
  if (count > 0) {
    reader->records_.push_back({reader->record_first_field_, count, reader->parse_line_});
  }
  reader->parse_line_ += 1 + reader->embedded_newlines_;
  reader->embedded_newlines_ = 0;
  reader->record_first_field_ = reader->fields_.size();
}

Status CsvReader::ReadMore() {
  const size_t wanted = static_cast<size_t>(std::min<uint64_t>(chunk_.size(), remaining_));
  size_t got = std::fread(chunk_.data(), 1, wanted, file_);
  if (got < wanted && std::ferror(file_)) {
    return Status::IoError("cannot read " + path_ + ": " + std::strerror(errno));
  }
  remaining_ -= got;
  bytes_read_ += got;
  const char* data = chunk_.data();
  if (skip_bom_) {
    skip_bom_ = false;
    // A byte-order mark is not part of the text.
    size_t bom = std::min(encoding_.bom_bytes, got);
    if (encoding_.utf8() && got >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) bom = 3;
    data += bom, got -= bom;
    bom_bytes_ = bom;
  }
  if (transcoder_) {
    converted_.clear();
    transcoder_->Convert(std::string_view(data, got), converted_, got == 0);
    data = converted_.data();
    got = converted_.size();
    if (got == 0 && !std::feof(file_) && remaining_ > 0) return Status::Ok();  // a split character
  }
  // After a quote left open: drop the lines up to the one after its record.
  while (skip_lines_ > 0 && got > 0) {
    const void* newline = std::memchr(data, '\n', got);
    if (newline == nullptr) {
      got = 0;
      break;
    }
    size_t skipped = static_cast<const char*>(newline) - data + 1;
    data += skipped, got -= skipped;
    --skip_lines_;
  }
  if (got == 0 && skip_lines_ > 0 && !std::feof(file_)) return Status::Ok();
  if (first_chunk_) {
    first_chunk_ = false;
    // Pick the delimiter from the first line: ',' unless it has none.
    std::string_view head(data, got);
    const size_t line_end = head.find('\n');
    head = head.substr(0, line_end);
    if (line_end != std::string_view::npos) first_record_offset_ = bom_bytes_ + line_end + 1;
    if (head.find(',') == std::string_view::npos) {
      if (head.find(';') != std::string_view::npos) {
        delimiter_ = ';';
      } else if (head.find('\t') != std::string_view::npos) {
        delimiter_ = '\t';
      }
      csv_set_delim(parser_.get(), static_cast<unsigned char>(delimiter_));
    }
  }
  if (!saw_quote_ && std::memchr(data, '"', got) != nullptr) saw_quote_ = true;
  if (got == 0 && (std::feof(file_) || remaining_ == 0)) {
    eof_ = true;
    // A quote opened in the record starting at parse_line_ and never closed
    // (libcsv's state 2 is "in a field"; CSV_STRICT_FINI would say so only
    // with CSV_STRICT, which refuses much that Excel writes): report that
    // record and read on from the line after it.
    constexpr int kFieldBegun = 2;
    if (parser_->pstate == kFieldBegun && parser_->quoted && !range_) {
      return RestartAfter(parse_line_);
    }
    if (csv_fini(parser_.get(), OnField, OnRecordEnd, this) != 0) {
      return Status::InvalidArgument(path_ + ":" + std::to_string(parse_line_) +
                                     ": malformed CSV: " + csv_strerror(csv_error(parser_.get())));
    }
    return Status::Ok();
  }
  if (csv_parse(parser_.get(), data, got, OnField, OnRecordEnd, this) != got) {
    return Status::InvalidArgument(path_ + ":" + std::to_string(parse_line_) +
                                   ": malformed CSV: " + csv_strerror(csv_error(parser_.get())));
  }
  return Status::Ok();
}

Status CsvReader::UnclosedQuote() {
  current_line_ = unclosed_quote_line_;
  unclosed_quote_line_ = 0;
  return Status::InvalidArgument(path_ + ":" + std::to_string(current_line_) +
                                 ": a quote opened in this record is never closed; the lines "
                                 "after this one are read on their own");
}

Status CsvReader::RestartAfter(int64_t line) {
  unclosed_quote_line_ = line;
  // Forget the fields of the broken record.
  fields_.resize(record_first_field_);
  if (std::fseek(file_, 0, SEEK_SET) != 0) return Status::IoError("cannot read " + path_);
  std::clearerr(file_);
  TENURE_RETURN_IF_ERROR(InitParser());
  if (transcoder_) {
    auto fresh = Utf8Transcoder::Create(encoding_.name);
    if (!fresh.ok()) return fresh.status();
    transcoder_ = std::move(*fresh);
  }
  skip_bom_ = true;
  bytes_read_ = 0;
  remaining_ = UINT64_MAX;
  skip_lines_ = line;
  parse_line_ = line + 1;
  embedded_newlines_ = 0;
  last_terminator_ = 0;
  eof_ = false;
  return Status::Ok();
}

Result<bool> CsvReader::Next(std::vector<std::string_view>& fields) {
  if (next_record_ >= records_.size()) {
    if (unclosed_quote_line_ > 0) return UnclosedQuote();
    // Fields of a record split across chunks are still being parsed: keep them.
    if (eof_) return false;
    std::string pending_arena;
    std::vector<std::pair<size_t, size_t>> pending_fields;
    if (record_first_field_ < fields_.size()) {
      size_t base = fields_[record_first_field_].first;
      pending_arena = arena_.substr(base);
      for (size_t i = record_first_field_; i < fields_.size(); ++i) {
        pending_fields.emplace_back(fields_[i].first - base, fields_[i].second);
      }
    }
    arena_.clear();
    fields_.clear();
    records_.clear();
    next_record_ = 0;
    arena_ = std::move(pending_arena);
    fields_ = std::move(pending_fields);
    record_first_field_ = 0;
    while (records_.empty() && !eof_ && unclosed_quote_line_ == 0) {
      Status status = ReadMore();
      if (!status.ok()) return status;
    }
    if (records_.empty()) {
      if (unclosed_quote_line_ > 0) return UnclosedQuote();
      return false;
    }
    if (estimated_records_ == 0) {
      estimated_records_ = static_cast<int64_t>(records_.size());
      if (!eof_ && bytes_read_ > 0) {
        estimated_records_ =
            static_cast<int64_t>(static_cast<double>(records_.size()) * file_size_ / bytes_read_);
      }
    }
  }
  const Record& record = records_[next_record_++];
  fields.clear();
  for (size_t i = 0; i < record.field_count; ++i) {
    const auto& [offset, length] = fields_[record.first_field + i];
    fields.emplace_back(arena_.data() + offset, length);
  }
  current_line_ = record.line;
  return true;
}

CsvWriter::~CsvWriter() {
  if (file_ && owned_) std::fclose(file_);
}

Result<std::unique_ptr<CsvWriter>> CsvWriter::Create(const std::string& path) {
  std::unique_ptr<CsvWriter> writer(new CsvWriter());
  writer->path_ = path;
  writer->file_ = std::fopen(path.c_str(), "wb");
  if (writer->file_ == nullptr) {
    return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
  }
  return writer;
}

std::unique_ptr<CsvWriter> CsvWriter::ForStream(std::FILE* stream, std::string name) {
  std::unique_ptr<CsvWriter> writer(new CsvWriter());
  writer->path_ = std::move(name);
  writer->file_ = stream;
  writer->owned_ = false;
  return writer;
}

void CsvWriter::Field(std::string_view field, bool first) {
  if (!first) record_ += ',';
  // A plain loop: string_view::find_first_of calls memchr once per
  // character, which made it a tenth of writing a large file.
  const bool special = std::any_of(field.begin(), field.end(), [](char c) {
    return c == ',' || c == '"' || c == '\r' || c == '\n';
  });
  if (!special && (field.empty() || (field.front() != ' ' && field.back() != ' '))) {
    record_.append(field);
    return;
  }
  // Quoted, with '"' doubled (libcsv's csv_write says how long it gets).
  const size_t at = record_.size();
  record_.resize(at + csv_write(nullptr, 0, field.data(), field.size()));
  csv_write(record_.data() + at, record_.size() - at, field.data(), field.size());
}

void CsvWriter::EndRecord() {
  record_ += '\n';
  std::fwrite(record_.data(), 1, record_.size(), file_);
  record_.clear();
}

void CsvWriter::Write(const std::vector<std::string_view>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) Field(fields[i], i == 0);
  EndRecord();
}

void CsvWriter::Write(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) Field(fields[i], i == 0);
  EndRecord();
}

Status CsvWriter::Close() {
  if (file_ == nullptr) return Status::Ok();
  bool failed = std::fflush(file_) != 0 || std::ferror(file_);
  if (owned_ && std::fclose(file_) != 0) failed = true;
  file_ = nullptr;
  if (failed) return Status::IoError("cannot write " + path_ + ": " + std::strerror(errno));
  return Status::Ok();
}

Result<std::unique_ptr<CsvReader>> OpenCsvWithHeader(const std::string& path,
                                                     std::vector<std::string>& header,
                                                     size_t chunk_size) {
  auto reader = CsvReader::Open(path, chunk_size);
  if (!reader.ok()) return reader.status();
  std::vector<std::string_view> fields;
  Result<bool> got = (*reader)->Next(fields);
  if (!got.ok()) return got.status();
  if (!*got) return Status::InvalidArgument(path + ": the file is empty (no header line)");
  header.clear();
  for (std::string_view f : fields) header.push_back(NormalizeName(f));
  return std::move(*reader);
}

Result<int> FindCsvColumn(const std::vector<std::string>& header, const std::string& path,
                          const std::string& requested,
                          std::initializer_list<const char*> candidates, const std::string& option,
                          bool required) {
  std::string wanted = NormalizeName(requested);
  for (size_t i = 0; i < header.size(); ++i) {
    if (!wanted.empty() && header[i] == wanted) return static_cast<int>(i);
  }
  if (!wanted.empty()) {
    return Status::InvalidArgument(path + ": no column '" + requested + "' in the header", option);
  }
  std::string names;
  for (const char* candidate : candidates) {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == candidate) return static_cast<int>(i);
    }
    names += (names.empty() ? "" : ", ") + std::string(candidate);
  }
  if (!required) return -1;
  return Status::InvalidArgument(path + ": no column named " + names + "; name one with " + option,
                                 option);
}

Result<bool> NextCsvRow(CsvReader& reader, const std::string& path, size_t header_size,
                        size_t needed, std::vector<std::string_view>& fields) {
  Result<bool> got = reader.Next(fields);
  if (!got.ok() || !*got) return got;
  if (fields.size() < needed) {
    return Status::InvalidArgument(path + ":" + std::to_string(reader.line()) + ": " +
                                   std::to_string(fields.size()) + " fields, the header has " +
                                   std::to_string(header_size));
  }
  return true;
}

Status CsvCellError(const CsvReader& reader, const std::string& column, const std::string& reason) {
  return Status::InvalidArgument(reader.path() + ":" + std::to_string(reader.line()) +
                                 ": column '" + column + "': " + reason);
}

}  // namespace tenure::engine
