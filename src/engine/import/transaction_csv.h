// Reading a transaction log (one row per purchase: customer, date, amount)
// from any CSV file into the columns of src/analytics, for `tenure model
// fit` (engine/model_fit.h). A large file is read on all cores.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace tenure::engine {

// Where the columns of a transaction log are and how to read them.
struct TransactionCsvOptions {
  std::string path;
  // Header names (matched after NormalizeName, so "Order Date" finds
  // order_date). Empty: the first header among customer_id, customer, id /
  // date, order_date / amount, sales, value.
  std::string customer_column;
  std::string date_column;
  std::string amount_column;
  // When false, a log without an amount column is read with every amount 0
  // (the purchase models do not need it); when true it is an error.
  bool amount_required = false;
  // strptime(3) format of the dates, as `tenure import --date-format`;
  // empty: ISO YYYY-MM-DD (or YYYYMMDD).
  std::string date_format;
};

// A transaction log as the columns analytics::SummarizeTransactions reads,
// with customers numbered densely in order of first appearance.
struct TransactionLog {
  std::vector<std::string> customer_ids;  // dense index -> id as in the file
  std::vector<int32_t> customer;          // per row
  std::vector<int32_t> day;               // per row, tenure::Date::days
  std::vector<double> amount;             // per row; 0 when has_amount is false
  bool has_amount = false;
  Date first_date, last_date;
  // The header names actually used (after guessing).
  std::string customer_column, date_column, amount_column;
};

// Reads a transaction log. A file of 4 MiB or more without '"' (so no
// record spans lines) is read in one part per core, each from a line start;
// the result, and the line an error names, are those of one pass. Errors: kIoError when the file
// cannot be read; kInvalidArgument "FILE: ..." with field "--customer-col" etc. for a column that
// is not in the header (or cannot be guessed), "FILE:LINE: column 'C': ..." for a date or amount
// that does not parse or an amount that is negative, field "--date-format" for a format without a %
// conversion, and for a file with no data rows.
Result<TransactionLog> ReadTransactionCsv(const TransactionCsvOptions& options);

}  // namespace tenure::engine
