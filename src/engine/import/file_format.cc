#include "engine/import/file_format.h"

#include "common/text.h"
#include "engine/import/csv.h"

namespace tenure::engine {
namespace {

using domain::FieldType;

constexpr int64_t kMaxSampledRows = 1'000'000;
// Numbers show their decimal mark soon, or never (whole numbers only).
constexpr int64_t kMaxNumberRows = 10'000;

bool IsDateField(const domain::FieldSpec& field) {
  return field.type == FieldType::kDate || field.type == FieldType::kTimestamp;
}

bool IsNumberField(const domain::FieldSpec& field) {
  return field.type == FieldType::kMoney || field.type == FieldType::kDecimal;
}

}  // namespace

Result<FileFormat> DetectFileFormat(const std::string& path, const FileEncoding& encoding,
                                    const domain::EntitySpec& spec, const ColumnPlan& plan,
                                    const FormatRequest& request) {
  FileFormat format;
  format.encoding = encoding;
  format.date_order.assign(spec.fields.size(), DateOrder::kIsoOnly);
  format.date_how.assign(spec.fields.size(), "");

  // Which columns still need looking at.
  std::vector<size_t> date_fields, number_fields;
  for (size_t f : plan.mapped) {
    if (plan.field_column[f] < 0) continue;
    if (IsDateField(spec.fields[f]) && request.date_format.empty() && !request.date_order) {
      date_fields.push_back(f);
    }
    if (IsNumberField(spec.fields[f]) && !request.decimal_comma) number_fields.push_back(f);
  }
  std::vector<DateOrderVote> dates(spec.fields.size());
  DecimalVote decimals;

  auto reader = CsvReader::Open(path, format.encoding);
  if (!reader.ok()) return reader.status();
  std::vector<std::string_view> fields;
  Result<bool> got = (*reader)->Next(fields);  // the header
  int64_t rows = 0;
  auto open = [&] {
    for (size_t f : date_fields) {
      if (dates[f].open()) return true;
    }
    return !number_fields.empty() && decimals.open() && rows < kMaxNumberRows;
  };
  while (got.ok() && *got && rows < kMaxSampledRows && open()) {
    got = (*reader)->Next(fields);
    if (!got.ok()) {
      if (got.status().code() == Status::Code::kIoError) return got.status();
      got = true;  // a malformed record: the import reports it
      continue;
    }
    if (!*got) break;
    ++rows;
    for (size_t f : date_fields) {
      size_t c = static_cast<size_t>(plan.field_column[f]);
      if (c < fields.size()) dates[f].Add(Trim(fields[c]));
    }
    for (size_t f : number_fields) {
      size_t c = static_cast<size_t>(plan.field_column[f]);
      if (c < fields.size()) decimals.Add(Trim(fields[c]));
    }
  }
  format.delimiter = (*reader)->delimiter();

  for (size_t f = 0; f < spec.fields.size(); ++f) {
    if (!IsDateField(spec.fields[f]) || plan.field_column[f] < 0) continue;
    const std::string& header = plan.headers[plan.field_column[f]];
    if (!request.date_format.empty()) {
      format.date_how[f] = "--date-format " + request.date_format;
      continue;
    }
    if (request.date_order) {
      format.date_order[f] = *request.date_order;
      format.date_how[f] =
          *request.date_order == DateOrder::kDayFirst ? "--day-first" : "--month-first";
      continue;
    }
    const DateOrderVote& vote = dates[f];
    if (vote.conflict()) {
      return Status::InvalidArgument(path + ": column '" + header +
                                         "': some dates are day-first (31/12/2011) and some "
                                         "month-first (12/31/2011); fix the column, or say which "
                                         "with --day-first or --month-first",
                                     "--day-first");
    }
    format.date_order[f] = vote.Decide();
    if (format.date_order[f] == DateOrder::kAmbiguous) {
      return Status::InvalidArgument(path + ": column '" + header + "': dates such as '" +
                                         vote.example() +
                                         "' read day-first or month-first and no date in the "
                                         "column tells which; say which with --day-first "
                                         "(dd/mm/yyyy) or --month-first (mm/dd/yyyy)",
                                     "--day-first");
    }
    format.date_how[f] = "detected";
  }
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    if (!IsDateField(spec.fields[f]) || plan.field_column[f] < 0) continue;
    std::string how =
        request.date_format.empty()
            ? std::string(DateOrderName(format.date_order[f])) + " (" + format.date_how[f] + ")"
            : format.date_how[f];
    format.date_columns.emplace_back(plan.headers[plan.field_column[f]], how);
  }
  if (request.decimal_comma) {
    format.decimal_comma = true;
    format.decimal_how = "--decimal-comma";
  } else if (decimals.conflict()) {
    format.decimal_how = "default (the numbers mix decimal commas and points)";
  } else {
    format.decimal_comma = decimals.decimal_comma();
    format.decimal_how = decimals.open() ? "default" : "detected";
  }
  return format;
}

}  // namespace tenure::engine
