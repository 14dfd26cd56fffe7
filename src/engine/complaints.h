// Complaints and demands (docs/complaints.md): recording them, assigning,
// moving them through open -> in_progress -> resolved -> closed (and back via
// reopen), listing what is open past its deadline, and the report on how fast
// they are resolved and what they are about.
//
// A complaint is named by its external id or, failing that, by its internal
// id (a whole number). Every change is one transaction that bumps version and
// updated_at and writes an audit entry with the row before and after.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/enums.h"
#include "store/care_queries.h"
#include "store/database.h"

namespace tenure::engine {

// Hours to resolve a complaint, by domain::Severity code (low, medium, high,
// critical). The CLI copies app::Config::complaint_deadline_hours here.
struct ComplaintDeadlines {
  std::array<int, 4> hours = {168, 72, 24, 8};
  Timestamp DeadlineOf(const store::ComplaintRecord& c) const {
    return c.opened_at + static_cast<Timestamp>(hours[c.severity]) * 3600;
  }
};

struct NewComplaint {
  store::RowKey customer;           // external or internal id, or an internal id (required)
  std::string kind = "complaint";   // complaint | demand
  std::string category;             // required, free text ("delivery", "billing", ...)
  std::string severity = "medium";  // low | medium | high | critical
  std::string description;          // optional
  std::string assignee;             // username (or external/internal id); optional
  std::string contact;      // external or internal id of a contact of the customer; optional
  std::string external_id;  // optional, unique among complaints
  Timestamp opened_at = 0;
};

// Records an open complaint. Errors (nothing written): kInvalidArgument
// naming --kind, --severity or --category; kNotFound naming --customer,
// --assignee or --contact; kInvalidArgument for an inactive assignee or a
// contact of another customer; kAlreadyExists naming --id.
Result<store::ComplaintRecord> AddComplaint(store::Database& db, const NewComplaint& c);

// The moves below read the complaint `key`, check the move, write it and
// return the row after, in one transaction. Errors: kNotFound (no such
// complaint; field "ID"); kConflict for a move the current status does not
// allow, with a message that names both statuses, or when `expected_version`
// is given and the complaint is at another version (nothing written).

// Sets the assignee (a username; resolved and closed complaints too).
Result<store::ComplaintRecord> AssignComplaint(store::Database& db, const store::RowKey& key,
                                               std::string_view user,
                                               std::optional<int64_t> expected_version = {});
// open <-> in_progress. `to` must be kOpen or kInProgress (kInvalidArgument
// otherwise): resolved and closed come only from ResolveComplaint and
// CloseComplaint, and go back only through ReopenComplaint.
Result<store::ComplaintRecord> SetComplaintStatus(store::Database& db, const store::RowKey& key,
                                                  domain::ComplaintStatus to,
                                                  std::optional<int64_t> expected_version = {});
// open or in_progress -> resolved, with resolved_at = `at` (not before
// opened_at), a resolution text (required) and a satisfaction 1..5.
Result<store::ComplaintRecord> ResolveComplaint(store::Database& db, const store::RowKey& key,
                                                std::string_view resolution, int satisfaction,
                                                Timestamp at,
                                                std::optional<int64_t> expected_version = {});
// resolved -> closed.
Result<store::ComplaintRecord> CloseComplaint(store::Database& db, const store::RowKey& key,
                                              std::optional<int64_t> expected_version = {});
// resolved or closed -> open; clears resolved_at, satisfaction and resolution
// (the audit entry keeps them).
Result<store::ComplaintRecord> ReopenComplaint(store::Database& db, const store::RowKey& key,
                                               std::optional<int64_t> expected_version = {});

// The rule behind every status change: Ok when the command `via` ("status",
// "resolve", "close", "reopen") may move a complaint from `from` to `to`;
// kConflict with the reason otherwise.
Status CheckComplaintMove(domain::ComplaintStatus from, domain::ComplaintStatus to,
                          std::string_view via);

// Whether a complaint is open at time `at` (opened before it, not resolved
// before it) and its deadline lies before it. "As of a day" means at 24:00
// UTC of that day, so everything that happened during the day counts.
bool IsOverdue(const store::ComplaintRecord& c, Timestamp at, const ComplaintDeadlines& d);

struct ComplaintListOptions {
  std::optional<domain::ComplaintStatus> status;
  std::string customer;  // external or internal id; empty: all
  std::string assignee;  // username; empty: all
  bool overdue_only = false;
  Date as_of;  // overdue is judged at the end of this day (24:00 UTC)
  ComplaintDeadlines deadlines;
};
// Complaints matching the options, oldest first. Errors: kNotFound naming
// --customer or --assignee.
Result<std::vector<store::ComplaintRecord>> ListComplaints(store::Database& db,
                                                           const ComplaintListOptions& options);

enum class ReportPeriod { kMonth, kQuarter, kYear };
// "month", "quarter" or "year"; kInvalidArgument naming --period otherwise.
Result<ReportPeriod> ParseReportPeriod(std::string_view text);
std::string_view ReportPeriodName(ReportPeriod period);
// "2026-03", "2026-Q1" or "2026".
std::string PeriodLabel(Date day, ReportPeriod period);

struct ResolveTimes {
  int64_t resolved = 0;
  double mean_hours = 0;
  double median_hours = 0;
  int64_t within_deadline = 0;  // resolved no later than opened_at + deadline
  int64_t rated = 0;            // with a satisfaction score
  double mean_satisfaction = 0;
};
// Mean and median of `hours` (0 when empty); the median of an even count is
// the mean of the two middle values.
std::pair<double, double> MeanAndMedian(std::vector<double> hours);

struct CategoryCount {
  std::string period;
  int kind = 0;  // domain::ComplaintKind
  std::string category;
  int64_t count = 0;
};

struct ComplaintReport {
  std::optional<Date> from;  // opened on or after; nullopt: since the first
  Date to;                   // opened on or before; overdue is judged at its end
  ReportPeriod period = ReportPeriod::kMonth;
  int64_t opened = 0;
  std::array<int64_t, 2> opened_by_kind{};
  ResolveTimes all;
  std::array<ResolveTimes, 4> by_severity;       // by domain::Severity code
  std::array<int64_t, 4> open_by_severity{};     // open at the end of `to`, any opening date
  std::array<int64_t, 4> overdue_by_severity{};  // of those, past the deadline
  int64_t open = 0;
  int64_t overdue = 0;
  std::vector<CategoryCount> by_category;  // by period, kind, then category
};

struct ComplaintReportOptions {
  std::optional<Date> from;
  Date to;
  ReportPeriod period = ReportPeriod::kMonth;
  ComplaintDeadlines deadlines;
  // Only complaints of these customers (engine/scope.h). Default: all.
  store::CustomerScope scope;
};
// The report over complaints opened from `from` to `to` (whole days, UTC).
// Errors: kInvalidArgument naming --from when from > to.
Result<ComplaintReport> BuildComplaintReport(store::Database& db,
                                             const ComplaintReportOptions& options);

}  // namespace tenure::engine
