// The SQL behind the churn registry (engine/churn.h has the definitions):
// recording lost and won-back events, and the rows the churn report is
// computed from.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/numbers.h"
#include "common/status.h"
#include "common/time.h"
#include "store/customer_scope.h"
#include "store/database.h"

namespace tenure::store {

// One row of churn_reasons.
struct ChurnReasonRow {
  int64_t id = 0;
  std::string code;
  std::string label;
};

// Every churn reason, by id.
Result<std::vector<ChurnReasonRow>> LoadChurnReasons(Database& db);

// A customer and where it stands in the churn registry.
struct CustomerChurnState {
  int64_t id = 0;
  std::string external_id;  // empty when none
  std::string name;
  int64_t status = 0;  // domain::CustomerStatus
  // The customer's latest churn event (by occurred_on, then id), if any.
  std::optional<int64_t> last_event_kind;  // domain::ChurnEventKind
  std::optional<std::string> last_event_on;
};

// Errors: kNotFound when no customer has that id.
Result<CustomerChurnState> LoadCustomerChurnState(Database& db, int64_t customer_id);

struct NewChurnEvent {
  int64_t customer_id = 0;
  int64_t kind = 0;                    // domain::ChurnEventKind
  std::string occurred_on;             // ISO date
  std::optional<int64_t> churn_type;   // domain::ChurnType; lost events only
  std::string competitor;              // empty: NULL
  std::optional<int64_t> recorded_by;  // users.id
  std::string notes;                   // empty: NULL
  std::vector<int64_t> reason_ids;     // churn_reasons.id
};

// Inserts the event and its reason links; returns the event id.
// REQUIRES: a transaction is open on `db`.
Result<int64_t> InsertChurnEvent(Database& db, const NewChurnEvent& event, Timestamp now);

// Sets customers.status, bumping updated_at and version.
Status SetCustomerStatus(Database& db, int64_t customer_id, int64_t status, Timestamp now);

// --- Report rows -----------------------------------------------------------
// Each counts only the customers `scope` allows.

// The day each customer became a customer: acquired_on, or the day its row
// was created when that is empty. Only customers whose status is active or
// lost (leads and prospects have not become customers). Ascending.
Result<std::vector<int32_t>> LoadAcquisitionDays(Database& db, const CustomerScope& scope);

// A churn event of such a customer, for the active-at-start sweep.
struct ChurnTimelineRow {
  int64_t customer_id = 0;
  int64_t kind = 0;  // domain::ChurnEventKind
  int32_t on = 0;    // occurred_on, days since the epoch
  int32_t acquired = 0;
};

// Every churn event on or before `to` of a customer LoadAcquisitionDays
// counts, ordered by customer, occurred_on, id.
Result<std::vector<ChurnTimelineRow>> LoadChurnTimeline(Database& db, Date to,
                                                        const CustomerScope& scope);

// The customer dimensions a loss can be broken down by.
inline constexpr std::string_view kSegmentColumns[] = {"industry", "level",    "type",
                                                       "source",   "province", "city"};

// One lost event within the report window.
struct LossRow {
  int64_t event_id = 0;
  int64_t customer_id = 0;
  int32_t on = 0;  // occurred_on
  int64_t churn_type = 0;
  // The owner when the customer was lost (see LoadLosses); nullopt: nobody.
  std::optional<int64_t> owner_id;
  std::string owner_name;  // username; empty when no owner
  std::string segment;     // the customer's value of the chosen dimension; empty: NULL
  Money lost_revenue = 0;  // sales in the 12 months up to the loss
};

// The lost events with occurred_on in [from, to], by date then id.
// The owner at the time of loss is the to_user of the customer's latest
// ownership change before the end of the loss day; without one, the
// from_user of its first change after that; without any change, the
// customer's current owner. Lost revenue: completed and open orders with
// order_date in (date(L, '-12 months'), L]. `segment_column` must be one of
// kSegmentColumns (kInvalidArgument otherwise).
Result<std::vector<LossRow>> LoadLosses(Database& db, Date from, Date to,
                                        std::string_view segment_column,
                                        const CustomerScope& scope);

// (event id, reason id) of every reason link of a lost event in [from, to].
Result<std::vector<std::pair<int64_t, int64_t>>> LoadLossReasons(Database& db, Date from, Date to,
                                                                 const CustomerScope& scope);

}  // namespace tenure::store
