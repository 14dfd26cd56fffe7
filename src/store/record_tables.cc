#include "store/record_tables.h"

#include "store/entity_table.h"

namespace tenure::store {
namespace {

std::string TableOf(domain::Entity entity) { return std::string(domain::SpecOf(entity).name); }

// record_tables as the tables say it should be, for the customer row `c`.
std::string RecordTablesExpression() {
  std::string sql;
  for (size_t i = 0; i < std::size(kRecordTables); ++i) {
    if (i > 0) sql += " | ";
    sql += "(EXISTS (SELECT 1 FROM " + TableOf(kRecordTables[i]) +
           " t WHERE t.customer_id = c.id) << " + std::to_string(i) + ")";
  }
  return sql;
}

}  // namespace

Result<int64_t> ReadRecordTables(Database& db, int64_t customer_id) {
  auto stmt = db.Prepare("SELECT record_tables FROM customers WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, customer_id);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  return *row ? (*stmt)->Int(0) : 0;
}

Result<std::vector<std::string>> DropRecordTableTriggers(Database& db, std::string_view table) {
  const std::string insert = std::string(table) + "_record_tables_insert";
  const std::string move = std::string(table) + "_record_tables_move";
  return DropTriggers(db, table,
                      [&](std::string_view name) { return name != insert && name != move; });
}

Status MarkRecordTable(Database& db, domain::Entity entity) {
  const int64_t bit = RecordTableBit(entity);
  if (bit == 0) return Status::Ok();
  // One probe of the table's customer index per customer, in customer order:
  // on 1,000,000 customers and 10,000,000 orders, 0.6 s to find them against
  // 2.1 s for `id IN (SELECT customer_id ...)`, which collects every row's
  // customer first. Writing the customers' rows takes about 3 s more.
  auto stmt = db.Prepare(
      "UPDATE customers SET record_tables = record_tables | ?1 WHERE record_tables & ?1 = 0"
      " AND EXISTS (SELECT 1 FROM " +
      TableOf(entity) + " t WHERE t.customer_id = customers.id)");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, bit);
  return (*stmt)->Run();
}

Result<int64_t> RebuildRecordTables(Database& db) {
  auto stmt = db.Prepare(
      "UPDATE customers SET record_tables = n.value FROM (SELECT c.id, " +
      RecordTablesExpression() +
      " AS value FROM customers c) n WHERE n.id = customers.id AND customers.record_tables <> "
      "n.value");
  if (!stmt.ok()) return stmt.status();
  TENURE_RETURN_IF_ERROR((*stmt)->Run());
  return db.ChangedRows();
}

}  // namespace tenure::store
