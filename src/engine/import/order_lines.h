// `tenure import order_lines FILE`: a line-level export of a shop or ERP
// (one row per product on an invoice, such as the UCI "Online Retail" file)
// becomes orders, returns, order lines and products.
//
// Lines are grouped by their order id (InvoiceNo, OrderID, ...): an order's
// amount is the sum of quantity x unit price over its lines, its cost the sum
// of the products' unit costs where every line has one. A cancellation line
// (negative quantity, or an order id starting with the return prefix: "C"
// followed by digits unless --return-prefix says otherwise) goes to a return
// with that id instead, credited to the customer and linked to the order it
// names in an original-order column, if any. Lines without a customer id (a
// guest sale) are skipped and counted. Everything is one transaction; the
// ids of orders, returns and lines come from the file, so importing it again
// changes nothing.
#pragma once

#include "common/status.h"
#include "engine/import/importer.h"
#include "store/database.h"

namespace tenure::engine {

// Imports options.path (options.spec is not used). The report's tables
// list customers, products, orders, returns and order_lines; its counts
// (inserted, ...) are those of the lines. Errors as ImportCsv's.
Result<ImportReport> ImportOrderLines(store::Database& db, const ImportOptions& options);

// The columns the export may have, for `tenure columns order_lines`.
std::string DescribeOrderLineColumns();

}  // namespace tenure::engine
