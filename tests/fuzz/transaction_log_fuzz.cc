// The transaction-log reader of `tenure model fit` (engine/import/transaction_csv.h)
// on any file, and the summary the models start from. Property: every row
// names a customer of the log and a day within its first and last date.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analytics/summary.h"
#include "engine/import/transaction_csv.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tenure;
  const std::string path =
      fuzz::WriteFile("log.csv", std::string_view(reinterpret_cast<const char*>(data), size));
  for (const char* format : {"", "%d/%m/%Y"}) {
    engine::TransactionCsvOptions options;
    options.path = path;
    options.date_format = format;
    auto log = engine::ReadTransactionCsv(options);
    if (!log.ok()) continue;
    for (size_t i = 0; i < log->customer.size(); ++i) {
      fuzz::Require(
          log->customer[i] >= 0 && static_cast<size_t>(log->customer[i]) < log->customer_ids.size(),
          "a row names no customer of the log");
      fuzz::Require(log->day[i] >= log->first_date.days && log->day[i] <= log->last_date.days,
                    "a row's day is outside the log's dates");
    }
    analytics::TransactionColumns columns{log->customer, log->day, log->amount};
    analytics::SummaryOptions summary;
    summary.calibration_end_day = log->last_date.days;
    (void)analytics::SummarizeTransactions(columns, summary);
  }
  return 0;
}
