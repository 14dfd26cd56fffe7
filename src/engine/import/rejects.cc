#include "engine/import/rejects.h"

#include <cstdio>

namespace tenure::engine {

RejectsFile::RejectsFile(const ImportOptions& options, const std::vector<std::string>& headers,
                         ImportReport& report)
    : options_(options), headers_(headers), report_(report) {
  path_ = options.rejects_path.empty() ? DefaultRejectsPath(options.path) : options.rejects_path;
}

Status RejectsFile::Add(int64_t line, const std::string& column, const std::string& reason,
                        const std::vector<std::string_view>& raw) {
  ++report_.rejected;
  if (report_.rejects.size() < kMaxRejectsKept) report_.rejects.push_back({line, column, reason});
  if (options_.dry_run) return Status::Ok();  // a preview writes no file
  if (!file_) {
    auto created = CsvWriter::Create(path_ + ".tmp");
    if (!created.ok()) return created.status();
    file_ = std::move(*created);
    std::vector<std::string> header = {"_line", "_column", "_reason"};
    header.insert(header.end(), headers_.begin(), headers_.end());
    file_->Write(header);
  }
  std::string line_text = std::to_string(line);
  std::vector<std::string_view> out = {line_text, column, reason};
  out.insert(out.end(), raw.begin(), raw.end());
  file_->Write(out);
  return Status::Ok();
}

Status RejectsFile::Close() { return file_ ? file_->Close() : Status::Ok(); }

void RejectsFile::Discard() { std::remove((path_ + ".tmp").c_str()); }

Status RejectsFile::Publish() {
  if (!file_) {
    std::remove(path_.c_str());  // a stale file from an earlier run would mislead
    return Status::Ok();
  }
  if (std::rename((path_ + ".tmp").c_str(), path_.c_str()) != 0) {
    return Status::IoError("imported, but cannot write " + path_);
  }
  report_.rejects_path = path_;
  return Status::Ok();
}

std::string WithoutPlace(const std::string& message) {
  size_t first = message.find(": ");
  return first == std::string::npos ? message : message.substr(first + 2);
}

}  // namespace tenure::engine
