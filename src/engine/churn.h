// The churn registry (docs/churn.md): recording that a customer
// was lost (with a churn type and reasons) or won back, and the loss
// analysis — churn rate per period, lost revenue, losses by type, a Pareto of
// reasons, losses by owner and by segment.
//
// History is never deleted: a correction is a new event. The customer's
// status follows its latest event (lost -> lost, won back -> active).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/numbers.h"
#include "common/status.h"
#include "common/time.h"
#include "store/customer_scope.h"
#include "store/database.h"
#include "store/entity_table.h"

namespace tenure::engine {

struct LossInput {
  store::RowKey customer;
  std::string type;     // a domain::ChurnType name: natural, malicious, competition, negligence
  std::string reasons;  // churn reason codes separated by ','
  std::string competitor;
  Date on;  // the day the customer was lost
  std::string notes;
  std::string recorded_by;  // username (or external/internal id); empty: nobody
};

struct WinBackInput {
  store::RowKey customer;
  Date on;
  std::string notes;
  std::string recorded_by;
};

struct ChurnEventResult {
  int64_t event_id = 0;
  int64_t customer_id = 0;
  std::string customer;  // external id, or the internal id as text when there is none
  std::string customer_name;
  Date on;
};

// Records a lost event with its reasons and sets the customer's status to
// lost, in one transaction with an audit entry. Errors (nothing written):
// kNotFound for an unknown customer ("customer") or user ("--by");
// kInvalidArgument for an unknown type ("--type", listing the valid ones), an
// empty or unknown reason code ("--reason", listing the valid ones), a
// customer already lost ("customer"), or a date before the customer's latest
// churn event ("--on").
Result<ChurnEventResult> RecordLoss(store::Database& db, const LossInput& input);
// RecordLoss within the caller's transaction, for a write that records a
// loss together with something else, all or nothing. REQUIRES: a
// transaction is open on `db`.
Result<ChurnEventResult> RecordLossInTransaction(store::Database& db, const LossInput& input);

// Records a won-back event and sets the status back to active. Errors as
// above; kInvalidArgument when the customer is not lost.
Result<ChurnEventResult> RecordWinBack(store::Database& db, const WinBackInput& input);

enum class ChurnPeriod { kMonth, kQuarter, kYear };
// "month", "quarter", "year"; kInvalidArgument naming --period otherwise.
Result<ChurnPeriod> ParseChurnPeriod(std::string_view text);
std::string_view ChurnPeriodName(ChurnPeriod period);
// The default window start for `to`: the first day of the period 11 months,
// 7 quarters or 4 years before the one holding `to` (12 months, 8 quarters,
// 5 years in all).
Date DefaultChurnFrom(ChurnPeriod period, Date to);

struct ChurnReportOptions {
  ChurnPeriod period = ChurnPeriod::kMonth;
  Date from;  // REQUIRES: from <= to
  Date to;
  std::string segment = "level";  // one of industry, level, type, source, province, city
  // Only these customers' losses (and active counts): a manager's team, a
  // salesperson's own (engine/scope.h). Default: every customer.
  store::CustomerScope scope;
};

// One calendar period, clipped to [from, to].
struct ChurnPeriodRow {
  Date start;
  Date end;  // inclusive
  int64_t active_at_start = 0;
  int64_t lost = 0;                  // distinct customers with a lost event in the period
  std::optional<double> churn_rate;  // lost / active_at_start; none when nobody was active
  Money lost_revenue = 0;            // of the lost events in the period
};

// One group of a breakdown: a churn type, reason, owner or segment value.
struct LossGroup {
  std::string key;    // type name, reason code, username, segment value ("" for none)
  std::string label;  // human label (reason label, "(none)" ...)
  int64_t losses = 0;
  double share = 0;             // of all losses (for reasons: of all reason mentions)
  double cumulative_share = 0;  // running total in the listed order
  Money lost_revenue = 0;
};

struct ChurnReport {
  ChurnReportOptions options;
  std::vector<ChurnPeriodRow> periods;
  int64_t losses = 0;  // lost events in [from, to]
  Money lost_revenue = 0;
  int64_t reason_mentions = 0;
  std::vector<LossGroup> by_type;     // every type, in code order
  std::vector<LossGroup> by_reason;   // reasons mentioned, most frequent first (Pareto)
  std::vector<LossGroup> by_owner;    // most losses first
  std::vector<LossGroup> by_segment;  // most losses first
};

// Errors: kInvalidArgument for an unknown segment ("--segment") or from > to
// ("--from").
Result<ChurnReport> BuildChurnReport(store::Database& db, const ChurnReportOptions& options);

}  // namespace tenure::engine
