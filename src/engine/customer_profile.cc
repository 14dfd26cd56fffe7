#include "engine/customer_profile.h"

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "store/record_tables.h"

namespace tenure::engine {
namespace {

using domain::Entity;

struct SectionOrder {
  Entity entity;
  std::string_view order_by;  // a field of the entity; empty: by id
  bool newest_first;
};

// Records that form a timeline come newest first; the rest in entry order.
constexpr SectionOrder kSections[] = {
    {Entity::kContact, "", false},
    {Entity::kActivity, "occurred_at", true},
    {Entity::kOpportunity, "", false},
    {Entity::kQuotation, "quoted_on", true},
    {Entity::kOrder, "order_date", true},
    {Entity::kContract, "start_date", true},
    {Entity::kInvoice, "due_on", true},
    {Entity::kExpense, "spent_on", true},
    {Entity::kComplaint, "opened_at", true},
    {Entity::kChurnEvent, "occurred_on", true},
    {Entity::kOwnershipChange, "changed_at", true},
};
// Every section's table keeps its bit in customers.record_tables, which says
// whether it is worth reading.
static_assert(std::ranges::all_of(kSections, [](const SectionOrder& section) {
  return store::RecordTableBit(section.entity) != 0;
}));

// Puts a section's rows in its order; the row id breaks ties. Done here
// rather than by SQLite (see ScanFilter): a customer's rows are few.
Status Arrange(const SectionOrder& order, ProfileSection& section) {
  std::vector<store::ExportRow>& rows = section.rows;
  if (order.order_by.empty()) {
    std::ranges::sort(rows, {}, &store::ExportRow::id);
    return Status::Ok();
  }
  std::optional<size_t> field = section.spec->FieldIndex(order.order_by);
  if (!field) {
    return Status::Internal(std::string(section.spec->name) + " has no field " +
                            std::string(order.order_by));
  }
  // A missing value (std::monostate) comes before any other, as NULL does in
  // SQLite: last when newest first.
  auto earlier = [&](const store::ExportRow& a, const store::ExportRow& b) {
    return std::tie(a.values[*field], a.id) < std::tie(b.values[*field], b.id);
  };
  if (order.newest_first) {
    std::ranges::sort(rows, [&](const auto& a, const auto& b) { return earlier(b, a); });
  } else {
    std::ranges::sort(rows, earlier);
  }
  return Status::Ok();
}

}  // namespace

Result<CustomerProfile> LoadCustomerProfile(store::Database& db, const store::RowKey& key,
                                            Date as_of) {
  const domain::EntitySpec& customers = domain::SpecOf(Entity::kCustomer);
  // An internal id needs no lookup: the scan of the customer below finds it
  // or not.
  std::optional<int64_t> id = key.id;
  if (!id) {
    auto found = store::FindRowId(db, customers, key);
    if (!found.ok()) return found.status();
    if (!*found) return Status::NotFound("no customer '" + key.ToString() + "'", "customer");
    id = *found;
  }

  CustomerProfile profile;
  profile.as_of = as_of;
  bool found = false;
  TENURE_RETURN_IF_ERROR(
      store::ScanRows(db, customers, store::ScanFilter{"id", *id}, [&](store::ExportRow&& row) {
        profile.customer = std::move(row);
        found = true;
        return Status::Ok();
      }));
  if (!found) return Status::NotFound("no customer '" + key.ToString() + "'", "customer");
  // How the records' customer_id reads: as every reference, the external id
  // or else the internal id.
  const std::string customer_text =
      profile.customer.external_id.empty() ? std::to_string(*id) : profile.customer.external_id;
  // A table whose bit is clear holds no row of the customer: not probed.
  auto record_tables = store::ReadRecordTables(db, *id);
  if (!record_tables.ok()) return record_tables.status();
  for (const SectionOrder& order : kSections) {
    ProfileSection& section = profile.sections.emplace_back();
    section.spec = &domain::SpecOf(order.entity);
    if ((*record_tables & store::RecordTableBit(order.entity)) == 0) continue;
    store::ScanFilter filter{"customer_id", *id, customer_text};
    TENURE_RETURN_IF_ERROR(store::ScanRows(db, *section.spec, filter, [&](store::ExportRow&& row) {
      section.rows.push_back(std::move(row));
      return Status::Ok();
    }));
    TENURE_RETURN_IF_ERROR(Arrange(order, section));
  }
  // Returns have no bit of their own (they come with order lines, a few
  // customers' records): their index answers at once when there are none.
  {
    ProfileSection& section = profile.sections.emplace_back();
    section.spec = &domain::SpecOf(Entity::kReturn);
    store::ScanFilter filter{"customer_id", *id, customer_text};
    TENURE_RETURN_IF_ERROR(store::ScanRows(db, *section.spec, filter, [&](store::ExportRow&& row) {
      section.rows.push_back(std::move(row));
      return Status::Ok();
    }));
    TENURE_RETURN_IF_ERROR(Arrange({Entity::kReturn, "returned_on", true}, section));
  }
  if (*record_tables & store::RecordTableBit(Entity::kOrder)) {
    auto products = store::LoadCustomerProducts(db, *id, kProfileProducts);
    if (!products.ok()) return products.status();
    profile.products = std::move(*products);
  }
  auto metrics = LoadMetrics(db, *id, as_of);
  if (!metrics.ok()) return metrics.status();
  profile.metrics = *metrics;
  auto scores = LoadScores(db, *id);
  if (!scores.ok()) return scores.status();
  profile.scores = std::move(*scores);
  auto risk = risk::LoadCustomerRisk(db, *id);
  if (!risk.ok()) return risk.status();
  profile.risk = std::move(*risk);
  return profile;
}

}  // namespace tenure::engine
