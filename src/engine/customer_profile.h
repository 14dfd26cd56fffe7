// The whole profile of one customer (`tenure customer show`, and later GET
// /api/v1/customers/ID): the customer row with its classification, its
// contacts, contact-record timeline, opportunities, quotations, orders,
// contracts, receivables (invoices), sales expenses, complaints, churn events
// and ownership history, and every derived metric as of a date.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/entity.h"
#include "engine/metrics.h"
#include "engine/risk/risk_model.h"
#include "engine/scoring.h"
#include "store/database.h"
#include "store/entity_table.h"
#include "store/product_queries.h"

namespace tenure::engine {

struct ProfileSection {
  const domain::EntitySpec* spec;  // what the rows are
  std::vector<store::ExportRow> rows;
};

struct CustomerProfile {
  store::ExportRow customer;
  Date as_of;
  CustomerMetrics metrics;
  // The purchase-model scores of the last `tenure score`; nullopt when the
  // customer was not scored (no order by that run's as-of date, or never run).
  std::optional<CustomerScores> scores;
  // The risk of losing the customer from the last `tenure risk score`
  // (probability, value at risk, health, reasons); nullopt when not scored.
  std::optional<risk::CustomerRisk> risk;
  // In this order: contacts, activities (newest first), opportunities,
  // quotations, orders (newest first), contracts, invoices, expenses,
  // complaints, churn_events, ownership_changes, returns (newest first).
  std::vector<ProfileSection> sections;
  // The products the customer buys, most sales (net of returns) first; at
  // most kProfileProducts.
  std::vector<store::ProductSalesRow> products;
};

inline constexpr int64_t kProfileProducts = 20;

// Loads the profile of the customer whose external id (or, failing that,
// internal id) is `key`. Errors: kNotFound naming the key.
Result<CustomerProfile> LoadCustomerProfile(store::Database& db, const store::RowKey& key,
                                            Date as_of);

}  // namespace tenure::engine
