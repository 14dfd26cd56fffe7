#include "engine/exporter.h"

#include <xlsxwriter.h>

#include <cstdio>
#include <memory>

#include "common/numbers.h"
#include "common/time.h"
#include "engine/field_codec.h"
#include "engine/import/csv.h"
#include "store/entity_table.h"

namespace tenure::engine {
namespace {

using domain::FieldSpec;
using domain::FieldType;

std::vector<std::string> Header(const domain::EntitySpec& spec) {
  std::vector<std::string> header = {"id"};
  for (const FieldSpec& field : spec.fields) header.emplace_back(field.name);
  header.emplace_back("created_at");
  header.emplace_back("updated_at");
  return header;
}

std::string IdOf(const store::ExportRow& row) {
  return row.external_id.empty() ? std::to_string(row.id) : row.external_id;
}

Result<int64_t> ExportCsv(store::Database& db, const ExportOptions& options) {
  std::unique_ptr<CsvWriter> out;
  if (options.out_path.empty()) {
    out = CsvWriter::ForStream(stdout, "standard output");
  } else {
    auto created = CsvWriter::Create(options.out_path);
    if (!created.ok()) return created.status();
    out = std::move(*created);
  }
  const domain::EntitySpec& spec = *options.spec;
  out->Write(Header(spec));
  int64_t rows = 0;
  std::vector<std::string> cells;
  Status status = store::ScanRows(db, spec, [&](const store::ExportRow& row) {
    cells.clear();
    cells.push_back(IdOf(row));
    for (size_t i = 0; i < spec.fields.size(); ++i) {
      cells.push_back(FormatFieldText(spec.fields[i], row.values[i], options.currency_decimals));
    }
    cells.push_back(FormatTimestamp(row.created_at));
    cells.push_back(FormatTimestamp(row.updated_at));
    out->Write(cells);
    ++rows;
    return Status::Ok();
  });
  Status closed = out->Close();
  if (!status.ok()) return status;
  if (!closed.ok()) return closed;
  return rows;
}

// Owns a libxlsxwriter workbook and writes typed cells.
class XlsxBook {
 public:
  explicit XlsxBook(const std::string& path) {
    lxw_workbook_options opts = {};
    opts.constant_memory = LXW_TRUE;  // rows are streamed to disk, not held in memory
    book_ = workbook_new_opt(path.c_str(), &opts);
    if (book_) {
      date_ = workbook_add_format(book_);
      format_set_num_format(date_, "yyyy-mm-dd");
      time_ = workbook_add_format(book_);
      format_set_num_format(time_, "yyyy-mm-dd hh:mm:ss");
      money_ = workbook_add_format(book_);
      format_set_num_format(money_, "#,##0.00");
      bold_ = workbook_add_format(book_);
      format_set_bold(bold_);
    }
  }
  ~XlsxBook() {
    if (book_) workbook_close(book_);
  }
  bool ok() const { return book_ != nullptr; }
  lxw_workbook* book() { return book_; }
  lxw_format* date() { return date_; }
  lxw_format* time() { return time_; }
  lxw_format* money() { return money_; }
  lxw_format* bold() { return bold_; }
  // Closes the file; returns libxlsxwriter's error, if any.
  lxw_error Close() {
    lxw_error error = workbook_close(book_);
    book_ = nullptr;
    return error;
  }

 private:
  lxw_workbook* book_ = nullptr;
  lxw_format* date_ = nullptr;
  lxw_format* time_ = nullptr;
  lxw_format* money_ = nullptr;
  lxw_format* bold_ = nullptr;
};

lxw_datetime ToExcel(Timestamp ts) {
  CivilParts day = ToCivil(DateOf(ts));
  int64_t seconds = ts - StartOf(DateOf(ts));
  return {day.year,
          static_cast<int>(day.month),
          static_cast<int>(day.day),
          static_cast<int>(seconds / 3600),
          static_cast<int>(seconds / 60 % 60),
          static_cast<double>(seconds % 60)};
}

Result<int64_t> ExportXlsx(store::Database& db, const ExportOptions& options) {
  if (options.out_path.empty()) {
    return Status::InvalidArgument("XLSX export needs a file", "--out");
  }
  const domain::EntitySpec& spec = *options.spec;
  XlsxBook book(options.out_path);
  if (!book.ok()) return Status::IoError("cannot write " + options.out_path);
  constexpr int64_t kRowsPerSheet = 1048575;  // Excel's limit, less the header
  std::vector<std::string> header = Header(spec);
  lxw_worksheet* sheet = nullptr;
  int64_t rows = 0;
  lxw_row_t r = 0;
  double scale = 1;
  for (int i = 0; i < options.currency_decimals; ++i) scale *= 10;
  Status status = store::ScanRows(db, spec, [&](const store::ExportRow& row) {
    if (rows % kRowsPerSheet == 0) {
      std::string name(spec.name);
      if (rows > 0) name += " (" + std::to_string(rows / kRowsPerSheet + 1) + ")";
      sheet = workbook_add_worksheet(book.book(), name.c_str());
      if (sheet == nullptr) return Status::IoError("cannot add a worksheet to " + options.out_path);
      for (size_t c = 0; c < header.size(); ++c) {
        worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), header[c].c_str(), book.bold());
      }
      r = 0;
    }
    ++r;
    ++rows;
    worksheet_write_string(sheet, r, 0, IdOf(row).c_str(), nullptr);
    for (size_t i = 0; i < spec.fields.size(); ++i) {
      const FieldSpec& field = spec.fields[i];
      const domain::Value& value = row.values[i];
      auto col = static_cast<lxw_col_t>(i + 1);
      if (std::holds_alternative<std::monostate>(value)) continue;
      if (field.type == FieldType::kMoney) {
        worksheet_write_number(sheet, r, col, std::get<int64_t>(value) / scale, book.money());
      } else if (field.type == FieldType::kInteger) {
        worksheet_write_number(sheet, r, col, static_cast<double>(std::get<int64_t>(value)),
                               nullptr);
      } else if (field.type == FieldType::kDecimal) {
        worksheet_write_number(sheet, r, col, std::get<double>(value), nullptr);
      } else if (field.type == FieldType::kDate) {
        auto date = ParseIsoDate(std::get<std::string>(value));
        lxw_datetime dt = ToExcel(date ? StartOf(*date) : 0);
        worksheet_write_datetime(sheet, r, col, &dt, book.date());
      } else if (field.type == FieldType::kTimestamp) {
        lxw_datetime dt = ToExcel(std::get<int64_t>(value));
        worksheet_write_datetime(sheet, r, col, &dt, book.time());
      } else {
        std::string text = FormatFieldText(field, value, options.currency_decimals);
        worksheet_write_string(sheet, r, col, text.c_str(), nullptr);
      }
    }
    auto tail = static_cast<lxw_col_t>(spec.fields.size() + 1);
    lxw_datetime created = ToExcel(row.created_at);
    lxw_datetime updated = ToExcel(row.updated_at);
    worksheet_write_datetime(sheet, r, tail, &created, book.time());
    worksheet_write_datetime(sheet, r, tail + 1, &updated, book.time());
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (rows == 0) {  // an empty export still gets its header
    sheet = workbook_add_worksheet(book.book(), std::string(spec.name).c_str());
    for (size_t c = 0; c < header.size(); ++c) {
      worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), header[c].c_str(), book.bold());
    }
  }
  lxw_error error = book.Close();
  if (error != LXW_NO_ERROR) {
    return Status::IoError("cannot write " + options.out_path + ": " + lxw_strerror(error));
  }
  return rows;
}

}  // namespace

Result<int64_t> ExportEntity(store::Database& db, const ExportOptions& options) {
  return options.format == ExportFormat::kCsv ? ExportCsv(db, options) : ExportXlsx(db, options);
}

}  // namespace tenure::engine
