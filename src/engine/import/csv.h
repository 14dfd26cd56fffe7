// Reading and writing CSV files (RFC 4180, as Excel and the sqlite3 shell
// write them) on top of libcsv. The reader tracks the physical line where
// each record starts, so errors can name it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/import/text_encoding.h"

struct csv_parser;

namespace tenure::engine {

class CsvReader {
 public:
  ~CsvReader();

  // Opens `path` for reading. Its encoding is detected (DetectFileEncoding;
  // `encoding` as --encoding overrides it) and the text converted to UTF-8
  // as it is read; a byte-order mark is skipped. The delimiter is ',' unless
  // the first line has none and has ';' or tabs. Errors: kIoError naming
  // the file; kInvalidArgument for an encoding iconv does not know.
  // `chunk_size` bytes are read and parsed at a time (at least 4 KiB).
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path,
                                                 size_t chunk_size = 1 << 20,
                                                 const std::string& encoding = "");
  // The same, in an encoding already detected.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path,
                                                 const FileEncoding& encoding,
                                                 size_t chunk_size = 1 << 20);
  // Opens bytes [begin, end) of `path`, which must start at the beginning of
  // a line, for reading with `delimiter`; line() counts from `first_line`.
  // For reading parts of a large file on several threads: a part can only
  // be parsed on its own when no quoted field spans its ends, which
  // saw_quote() tells afterwards (a file without '"' has no quoted field).
  static Result<std::unique_ptr<CsvReader>> OpenRange(const std::string& path, uint64_t begin,
                                                      uint64_t end, char delimiter,
                                                      int64_t first_line);

  // Reads the next record into `fields`; the views stay valid until the next
  // call. Blank lines are skipped. Returns false at the end of the file.
  // Errors: kIoError on a read failure. kInvalidArgument "FILE:LINE: ..."
  // for a quote that is never closed, LINE (and line()) being the line
  // where its record starts: the reader then goes on at the next line, so
  // Next() may be called again and returns the records after it.
  Result<bool> Next(std::vector<std::string_view>& fields);

  // The line (1-based) where the record returned by the last Next() starts.
  int64_t line() const { return current_line_; }
  // The line where the next record would start: after the end of the input,
  // one past the last line read.
  int64_t next_line() const { return parse_line_; }
  uint64_t bytes_read() const { return bytes_read_; }
  // How many records the file holds, extrapolated from the first chunk read
  // (exact when the whole file fit in it).
  int64_t EstimatedRecords() const { return estimated_records_; }
  uint64_t file_size() const { return file_size_; }
  // The delimiter in use (after Next() has read the first chunk).
  char delimiter() const { return delimiter_; }
  // Whether the bytes read so far held a '"'.
  bool saw_quote() const { return saw_quote_; }
  // Byte offset in the file just after the header line (the first record),
  // known after the first Next().
  uint64_t first_record_offset() const { return first_record_offset_; }
  const std::string& path() const { return path_; }
  const FileEncoding& encoding() const { return encoding_; }

 private:
  CsvReader() = default;
  static Result<std::unique_ptr<CsvReader>> OpenFile(const std::string& path, size_t chunk_size);
  Status InitParser();
  Status ReadMore();  // reads and parses one chunk
  // After a quote left open at the end of the file: reads again from the
  // line after the one its record started on.
  Status RestartAfter(int64_t line);
  Status UnclosedQuote();  // the error for unclosed_quote_line_, which it clears
  static void OnField(void* data, size_t length, void* self);
  static void OnRecordEnd(int terminator, void* self);

  struct Record {
    size_t first_field;
    size_t field_count;
    int64_t line;
  };

  std::string path_;
  std::FILE* file_ = nullptr;
  std::unique_ptr<csv_parser> parser_;
  FileEncoding encoding_{"UTF-8", "", 0};
  std::unique_ptr<Utf8Transcoder> transcoder_;  // when the file is not UTF-8
  std::string converted_;                       // the current chunk in UTF-8
  int64_t skip_lines_ = 0;                      // lines to drop before parsing (RestartAfter)
  int64_t unclosed_quote_line_ = 0;             // a record to report as malformed, or 0
  bool range_ = false;                          // opened by OpenRange
  bool skip_bom_ = true;                        // at the start of the file
  size_t bom_bytes_ = 0;                        // the byte-order mark skipped
  std::vector<char> chunk_;
  uint64_t bytes_read_ = 0;
  uint64_t file_size_ = 0;
  bool eof_ = false;
  bool first_chunk_ = true;
  uint64_t remaining_ = UINT64_MAX;  // bytes left in the range being read
  char delimiter_ = ',';
  bool saw_quote_ = false;
  uint64_t first_record_offset_ = 0;
  int64_t estimated_records_ = 0;

  // Records parsed from the current chunk, their fields stored in `arena_`.
  std::string arena_;
  std::vector<std::pair<size_t, size_t>> fields_;  // offset, length in arena_
  std::vector<Record> records_;
  size_t next_record_ = 0;
  size_t record_first_field_ = 0;

  int64_t parse_line_ = 1;         // line where the record being parsed starts
  int64_t embedded_newlines_ = 0;  // newlines inside quoted fields of that record
  int last_terminator_ = 0;
  int64_t current_line_ = 0;
};

// Writes CSV records, quoting fields only where needed.
class CsvWriter {
 public:
  ~CsvWriter();
  // Creates or truncates `path`. Errors: kIoError naming the file.
  static Result<std::unique_ptr<CsvWriter>> Create(const std::string& path);
  // Writes to an already open stream (such as stdout); not closed on destruction.
  static std::unique_ptr<CsvWriter> ForStream(std::FILE* stream, std::string name);

  void Write(const std::vector<std::string_view>& fields);
  void Write(const std::vector<std::string>& fields);
  // Flushes and closes; errors: kIoError when anything failed to be written.
  Status Close();

 private:
  CsvWriter() = default;
  // Appends one field to record_; EndRecord() writes the record at once
  // (one stdio call per record instead of two per field).
  void Field(std::string_view field, bool first);
  void EndRecord();
  std::string path_;
  std::FILE* file_ = nullptr;
  bool owned_ = true;
  std::string record_;
};

// Reading analysts' CSV files by column name (`tenure model ...`): open a
// file and read its header line, find a column, read a row with enough
// fields, and name a cell in an error.

// Opens `path` (parsing `chunk_size` bytes at a time) and reads its header
// line into `header`, each name normalised (NormalizeName). Errors: those
// of CsvReader::Open; kInvalidArgument for an empty file.
Result<std::unique_ptr<CsvReader>> OpenCsvWithHeader(const std::string& path,
                                                     std::vector<std::string>& header,
                                                     size_t chunk_size = 1 << 20);

// The index of column `requested` (or, when empty, of the first of
// `candidates`) in `header`; -1 when nothing is requested, none is found
// and `required` is false. Errors (field `option`): a requested column that
// is not there; no candidate when `required`.
Result<int> FindCsvColumn(const std::vector<std::string>& header, const std::string& path,
                          const std::string& requested,
                          std::initializer_list<const char*> candidates, const std::string& option,
                          bool required);

// The next record of `reader` into `fields`: false at the end of the file,
// an error naming the line when the record has fewer than `needed` fields.
Result<bool> NextCsvRow(CsvReader& reader, const std::string& path, size_t header_size,
                        size_t needed, std::vector<std::string_view>& fields);

// "FILE:LINE: column 'C': reason" for the record last read by `reader`.
Status CsvCellError(const CsvReader& reader, const std::string& column, const std::string& reason);

}  // namespace tenure::engine
