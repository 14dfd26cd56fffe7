// customers.record_tables (migration 009): which tables of records hold rows
// of a customer, one bit per table. Triggers set a table's bit when a row is
// inserted for the customer or moved to it; nothing clears it, so a set bit
// means "may hold rows" and a clear bit "holds none". A reader of a
// customer's records (the profile) skips the tables whose bit is clear.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/entity.h"
#include "store/database.h"

namespace tenure::store {

// The tables of records, in bit order: kRecordTables[i] is bit 1 << i, as
// 009_record_tables.sql numbers them.
inline constexpr domain::Entity kRecordTables[] = {
    domain::Entity::kContact,    domain::Entity::kActivity,       domain::Entity::kOpportunity,
    domain::Entity::kQuotation,  domain::Entity::kOrder,          domain::Entity::kContract,
    domain::Entity::kInvoice,    domain::Entity::kExpense,        domain::Entity::kComplaint,
    domain::Entity::kChurnEvent, domain::Entity::kOwnershipChange};

// The bit of `entity` in customers.record_tables; 0 for a table that has none.
constexpr int64_t RecordTableBit(domain::Entity entity) {
  for (size_t i = 0; i < std::size(kRecordTables); ++i) {
    if (kRecordTables[i] == entity) return int64_t{1} << i;
  }
  return 0;
}

// The customer's record_tables; 0 when there is no such customer.
Result<int64_t> ReadRecordTables(Database& db, int64_t customer_id);

// For a bulk load into `table`: drops the triggers that keep the bits of its
// rows' customers, and returns the statements that create them again. The
// loader then calls MarkRecordTable before running them.
Result<std::vector<std::string>> DropRecordTableTriggers(Database& db, std::string_view table);

// Sets the bit of `entity`'s table on every customer that has a row in it, in
// one pass. REQUIRES: a transaction is open.
Status MarkRecordTable(Database& db, domain::Entity entity);

// Recomputes every customer's record_tables from the tables (clearing the
// bits of tables whose rows were all deleted or moved away). Returns the
// number of customers whose value changed. REQUIRES: a transaction is open.
Result<int64_t> RebuildRecordTables(Database& db);

}  // namespace tenure::store
