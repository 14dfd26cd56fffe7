#include "engine/complaints.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "common/text.h"
#include "domain/entity.h"
#include "engine/field_codec.h"
#include "store/entity_table.h"
#include "store/handover_queries.h"

namespace tenure::engine {
namespace {

using domain::ComplaintStatus;

std::string StatusName(int code) { return std::string(domain::kComplaintStatusNames[code]); }

// The audited image of a complaint.
std::string RowJson(const store::ComplaintRecord& c) {
  nlohmann::json j = {{"id", c.id},
                      {"customer_id", c.customer_id},
                      {"kind", domain::kComplaintKindNames[c.kind]},
                      {"category", c.category},
                      {"severity", domain::kSeverityNames[c.severity]},
                      {"status", domain::kComplaintStatusNames[c.status]},
                      {"opened_at", FormatTimestamp(c.opened_at)},
                      {"version", c.version}};
  if (!c.external_id.empty()) j["external_id"] = c.external_id;
  j["assignee_id"] = c.assignee_id ? nlohmann::json(*c.assignee_id) : nlohmann::json();
  j["resolved_at"] =
      c.resolved_at ? nlohmann::json(FormatTimestamp(*c.resolved_at)) : nlohmann::json();
  j["satisfaction"] = c.satisfaction ? nlohmann::json(*c.satisfaction) : nlohmann::json();
  j["resolution"] = c.resolution.empty() ? nlohmann::json() : nlohmann::json(c.resolution);
  if (c.contact_id) j["contact_id"] = *c.contact_id;
  if (!c.description.empty()) j["description"] = c.description;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<store::ComplaintRecord> Find(store::Database& db, const store::RowKey& key) {
  if (key.empty()) return Status::InvalidArgument("a complaint id is required", "ID");
  auto found = store::FindComplaint(db, key);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no complaint '" + key.ToString() + "'", "ID");
  return std::move(**found);
}

Result<store::UserRef> FindActiveUser(store::Database& db, std::string_view key,
                                      const std::string& field) {
  auto user = store::FindUserRef(db, Trim(key));
  if (!user.ok()) return user.status();
  if (!*user) return Status::NotFound("unknown user '" + std::string(key) + "'", field);
  if (!(*user)->active) {
    return Status::InvalidArgument("user '" + (*user)->username + "' is inactive", field);
  }
  return **user;
}

// Reads the complaint, lets `change` edit it, and writes it back with an
// audit entry, all in one transaction.
template <typename Change>
Result<store::ComplaintRecord> Modify(store::Database& db, const store::RowKey& key,
                                      std::string_view action,
                                      std::optional<int64_t> expected_version, Change change) {
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  auto found = Find(db, key);
  if (!found.ok()) return found.status();
  store::ComplaintRecord before = *found;
  if (expected_version && *expected_version != before.version) {
    return Status::Conflict("complaint " + std::to_string(before.id) + " is at version " +
                            std::to_string(before.version) + ", not " +
                            std::to_string(*expected_version) + "; read it again");
  }
  store::ComplaintRecord after = before;
  TENURE_RETURN_IF_ERROR(change(after));
  Timestamp now = NowUtc();
  TENURE_RETURN_IF_ERROR(store::UpdateComplaint(db, after, now));
  after.version = before.version + 1;
  after.updated_at = now;
  TENURE_RETURN_IF_ERROR(store::AppendAuditChange(db, action, "complaints", after.id,
                                                  RowJson(before), RowJson(after)));
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return after;
}

}  // namespace

Status CheckComplaintMove(ComplaintStatus from, ComplaintStatus to, std::string_view via) {
  auto refuse = [&](const std::string& why) {
    return Status::Conflict("cannot move a complaint from " + StatusName(static_cast<int>(from)) +
                            " to " + StatusName(static_cast<int>(to)) + ": " + why);
  };
  bool active = from == ComplaintStatus::kOpen || from == ComplaintStatus::kInProgress;
  if (via == "status") {
    if (to != ComplaintStatus::kOpen && to != ComplaintStatus::kInProgress) {
      return refuse("use `complaint resolve` or `complaint close`");
    }
    if (!active)
      return refuse("it is " + StatusName(static_cast<int>(from)) + "; use `complaint reopen`");
    if (from == to) return refuse("it is " + StatusName(static_cast<int>(from)) + " already");
    return Status::Ok();
  }
  if (via == "resolve") {
    if (!active) return refuse("it is " + StatusName(static_cast<int>(from)) + " already");
    return Status::Ok();
  }
  if (via == "close") {
    if (from == ComplaintStatus::kClosed) return refuse("it is closed already");
    if (from != ComplaintStatus::kResolved) return refuse("resolve it first");
    return Status::Ok();
  }
  if (via == "reopen") {
    if (active) return refuse("only resolved or closed complaints can be reopened");
    return Status::Ok();
  }
  return Status::Internal("unknown complaint move " + std::string(via));
}

Result<store::ComplaintRecord> AddComplaint(store::Database& db, const NewComplaint& in) {
  store::ComplaintRecord c;
  std::optional<int> kind = domain::ParseEnumName(domain::kComplaintKindNames, in.kind);
  if (!kind) {
    return Status::InvalidArgument("unknown kind '" + in.kind + "' (complaint or demand)",
                                   "--kind");
  }
  std::optional<int> severity = domain::ParseEnumName(domain::kSeverityNames, in.severity);
  if (!severity) {
    return Status::InvalidArgument(
        "unknown severity '" + in.severity + "' (low, medium, high or critical)", "--severity");
  }
  if (Trim(in.category).empty()) return Status::InvalidArgument("is required", "--category");
  TENURE_RETURN_IF_ERROR(CheckTextField(Trim(in.category), false, "--category"));
  TENURE_RETURN_IF_ERROR(CheckTextField(Trim(in.description), true, "--description"));
  TENURE_RETURN_IF_ERROR(CheckTextField(Trim(in.external_id), false, "--id"));
  c.kind = *kind;
  c.severity = *severity;
  c.category = std::string(Trim(in.category));
  c.description = std::string(Trim(in.description));
  c.external_id = std::string(Trim(in.external_id));
  c.opened_at = in.opened_at;
  c.status = static_cast<int>(ComplaintStatus::kOpen);

  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  auto customer = store::FindRowId(db, domain::SpecOf(domain::Entity::kCustomer), in.customer);
  if (!customer.ok()) return customer.status();
  if (!*customer) {
    return Status::NotFound("unknown customer '" + in.customer.ToString() + "'", "--customer");
  }
  c.customer_id = **customer;
  if (!Trim(in.assignee).empty()) {
    auto user = FindActiveUser(db, in.assignee, "--assignee");
    if (!user.ok()) return user.status();
    c.assignee_id = user->id;
  }
  if (!Trim(in.contact).empty()) {
    auto contact = store::FindRowId(db, domain::SpecOf(domain::Entity::kContact), Trim(in.contact));
    if (!contact.ok()) return contact.status();
    if (!*contact) return Status::NotFound("unknown contact '" + in.contact + "'", "--contact");
    auto owner = store::ContactCustomer(db, **contact);
    if (!owner.ok()) return owner.status();
    if (*owner != c.customer_id) {
      return Status::InvalidArgument("contact '" + in.contact + "' belongs to another customer",
                                     "--contact");
    }
    c.contact_id = **contact;
  }
  if (!c.external_id.empty()) {
    auto existing = store::FindComplaint(db, c.external_id);
    if (!existing.ok()) return existing.status();
    if (*existing && (*existing)->external_id == c.external_id) {
      return Status::AlreadyExists("complaint '" + c.external_id + "' exists already", "--id");
    }
  }
  Timestamp now = NowUtc();
  auto id = store::InsertComplaint(db, c, now);
  if (!id.ok()) return id.status();
  auto stored = store::LoadComplaint(db, *id);
  if (!stored.ok()) return stored.status();
  if (!*stored) return Status::Internal("complaint " + std::to_string(*id) + " vanished");
  TENURE_RETURN_IF_ERROR(
      store::AppendAuditChange(db, "insert", "complaints", *id, "", RowJson(**stored)));
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return std::move(**stored);
}

Result<store::ComplaintRecord> AssignComplaint(store::Database& db, const store::RowKey& key,
                                               std::string_view user,
                                               std::optional<int64_t> expected_version) {
  if (Trim(user).empty()) return Status::InvalidArgument("a user is required", "--to");
  return Modify(db, key, "assign", expected_version, [&](store::ComplaintRecord& c) -> Status {
    auto found = FindActiveUser(db, user, "--to");
    if (!found.ok()) return found.status();
    if (c.assignee_id == found->id) {
      return Status::Conflict("complaint is assigned to " + found->username + " already");
    }
    c.assignee_id = found->id;
    c.assignee = found->username;
    return Status::Ok();
  });
}

Result<store::ComplaintRecord> SetComplaintStatus(store::Database& db, const store::RowKey& key,
                                                  ComplaintStatus to,
                                                  std::optional<int64_t> expected_version) {
  if (to != ComplaintStatus::kOpen && to != ComplaintStatus::kInProgress) {
    return Status::InvalidArgument("must be open or in_progress (use resolve, close or reopen)",
                                   "STATUS");
  }
  return Modify(db, key, "status", expected_version, [&](store::ComplaintRecord& c) -> Status {
    TENURE_RETURN_IF_ERROR(
        CheckComplaintMove(static_cast<ComplaintStatus>(c.status), to, "status"));
    c.status = static_cast<int>(to);
    return Status::Ok();
  });
}

Result<store::ComplaintRecord> ResolveComplaint(store::Database& db, const store::RowKey& key,
                                                std::string_view resolution, int satisfaction,
                                                Timestamp at,
                                                std::optional<int64_t> expected_version) {
  if (Trim(resolution).empty()) return Status::InvalidArgument("is required", "--resolution");
  TENURE_RETURN_IF_ERROR(CheckTextField(Trim(resolution), true, "--resolution"));
  if (satisfaction < 1 || satisfaction > 5) {
    return Status::InvalidArgument("must be from 1 to 5", "--satisfaction");
  }
  return Modify(db, key, "resolve", expected_version, [&](store::ComplaintRecord& c) -> Status {
    TENURE_RETURN_IF_ERROR(CheckComplaintMove(static_cast<ComplaintStatus>(c.status),
                                              ComplaintStatus::kResolved, "resolve"));
    if (at < c.opened_at) {
      return Status::InvalidArgument(
          "is before the complaint was opened (" + FormatTimestamp(c.opened_at) + ")", "--at");
    }
    c.status = static_cast<int>(ComplaintStatus::kResolved);
    c.resolved_at = at;
    c.satisfaction = satisfaction;
    c.resolution = std::string(Trim(resolution));
    return Status::Ok();
  });
}

Result<store::ComplaintRecord> CloseComplaint(store::Database& db, const store::RowKey& key,
                                              std::optional<int64_t> expected_version) {
  return Modify(db, key, "close", expected_version, [&](store::ComplaintRecord& c) -> Status {
    TENURE_RETURN_IF_ERROR(CheckComplaintMove(static_cast<ComplaintStatus>(c.status),
                                              ComplaintStatus::kClosed, "close"));
    c.status = static_cast<int>(ComplaintStatus::kClosed);
    return Status::Ok();
  });
}

Result<store::ComplaintRecord> ReopenComplaint(store::Database& db, const store::RowKey& key,
                                               std::optional<int64_t> expected_version) {
  return Modify(db, key, "reopen", expected_version, [&](store::ComplaintRecord& c) -> Status {
    TENURE_RETURN_IF_ERROR(CheckComplaintMove(static_cast<ComplaintStatus>(c.status),
                                              ComplaintStatus::kOpen, "reopen"));
    c.status = static_cast<int>(ComplaintStatus::kOpen);
    c.resolved_at.reset();
    c.satisfaction.reset();
    c.resolution.clear();
    return Status::Ok();
  });
}

bool IsOverdue(const store::ComplaintRecord& c, Timestamp at, const ComplaintDeadlines& d) {
  if (c.opened_at >= at) return false;
  bool open = c.resolved_at ? *c.resolved_at >= at
                            : (c.status == static_cast<int>(ComplaintStatus::kOpen) ||
                               c.status == static_cast<int>(ComplaintStatus::kInProgress));
  return open && d.DeadlineOf(c) < at;
}

Result<std::vector<store::ComplaintRecord>> ListComplaints(store::Database& db,
                                                           const ComplaintListOptions& o) {
  store::ComplaintFilter filter;
  if (o.status) filter.status = static_cast<int>(*o.status);
  if (!Trim(o.customer).empty()) {
    auto id = store::FindRowId(db, domain::SpecOf(domain::Entity::kCustomer), Trim(o.customer));
    if (!id.ok()) return id.status();
    if (!*id) return Status::NotFound("unknown customer '" + o.customer + "'", "--customer");
    filter.customer_id = **id;
  }
  if (!Trim(o.assignee).empty()) {
    auto user = store::FindUserRef(db, Trim(o.assignee));
    if (!user.ok()) return user.status();
    if (!*user) return Status::NotFound("unknown user '" + o.assignee + "'", "--assignee");
    filter.assignee_id = (*user)->id;
  }
  Timestamp at = StartOf(Date{o.as_of.days + 1});
  if (o.overdue_only) {
    filter.unresolved_at_only = true;
    filter.unresolved_at = at;
  }
  auto rows = store::LoadComplaints(db, filter);
  if (!rows.ok()) return rows.status();
  if (!o.overdue_only) return rows;
  std::vector<store::ComplaintRecord> out;
  for (auto& r : *rows) {
    if (IsOverdue(r, at, o.deadlines)) out.push_back(std::move(r));
  }
  return out;
}

constexpr std::string_view kReportPeriodNames[] = {"month", "quarter", "year"};

Result<ReportPeriod> ParseReportPeriod(std::string_view text) {
  std::optional<int> code = domain::ParseEnumName(kReportPeriodNames, text);
  if (!code) {
    return Status::InvalidArgument(
        "unknown period '" + std::string(text) + "' (month, quarter or year)", "--period");
  }
  return static_cast<ReportPeriod>(*code);
}

std::string_view ReportPeriodName(ReportPeriod period) {
  return kReportPeriodNames[static_cast<int>(period)];
}

std::string PeriodLabel(Date day, ReportPeriod period) {
  CivilParts p = ToCivil(day);
  char out[32];
  switch (period) {
    case ReportPeriod::kMonth:
      std::snprintf(out, sizeof out, "%04d-%02u", p.year, p.month);
      break;
    case ReportPeriod::kQuarter:
      std::snprintf(out, sizeof out, "%04d-Q%u", p.year, (p.month - 1) / 3 + 1);
      break;
    case ReportPeriod::kYear:
      std::snprintf(out, sizeof out, "%04d", p.year);
      break;
  }
  return out;
}

std::pair<double, double> MeanAndMedian(std::vector<double> hours) {
  if (hours.empty()) return {0, 0};
  double sum = 0;
  for (double h : hours) sum += h;
  std::sort(hours.begin(), hours.end());
  size_t n = hours.size();
  double median = n % 2 == 1 ? hours[n / 2] : (hours[n / 2 - 1] + hours[n / 2]) / 2;
  return {sum / static_cast<double>(n), median};
}

Result<ComplaintReport> BuildComplaintReport(store::Database& db, const ComplaintReportOptions& o) {
  if (o.from && *o.from > o.to) {
    return Status::InvalidArgument("is after --to (" + FormatDate(o.to) + ")", "--from");
  }
  ComplaintReport report;
  report.from = o.from;
  report.to = o.to;
  report.period = o.period;
  Timestamp end = StartOf(Date{o.to.days + 1});

  store::ComplaintFilter opened;
  if (o.from) opened.opened_from = StartOf(*o.from);
  opened.opened_before = end;
  opened.scope = o.scope;
  auto rows = store::LoadComplaints(db, opened);
  if (!rows.ok()) return rows.status();
  std::vector<double> all_hours;
  std::array<std::vector<double>, 4> hours;
  double all_satisfaction = 0;
  std::array<double, 4> satisfaction{};
  std::map<std::tuple<std::string, int, std::string>, int64_t> categories;
  for (const store::ComplaintRecord& c : *rows) {
    ++report.opened;
    ++report.opened_by_kind[c.kind];
    ++categories[{PeriodLabel(DateOf(c.opened_at), o.period), c.kind, c.category}];
    // Resolutions after the end of the report are not known yet at its end.
    if (!c.resolved_at || *c.resolved_at >= end) continue;
    double h = static_cast<double>(*c.resolved_at - c.opened_at) / 3600.0;
    all_hours.push_back(h);
    hours[c.severity].push_back(h);
    bool on_time = *c.resolved_at <= o.deadlines.DeadlineOf(c);
    report.all.within_deadline += on_time;
    report.by_severity[c.severity].within_deadline += on_time;
    if (c.satisfaction) {
      ++report.all.rated;
      ++report.by_severity[c.severity].rated;
      all_satisfaction += *c.satisfaction;
      satisfaction[c.severity] += *c.satisfaction;
    }
  }
  auto finish = [](ResolveTimes& t, std::vector<double>& h, double satisfaction_sum) {
    t.resolved = static_cast<int64_t>(h.size());
    std::tie(t.mean_hours, t.median_hours) = MeanAndMedian(std::move(h));
    if (t.rated > 0) t.mean_satisfaction = satisfaction_sum / static_cast<double>(t.rated);
  };
  finish(report.all, all_hours, all_satisfaction);
  for (size_t s = 0; s < 4; ++s) finish(report.by_severity[s], hours[s], satisfaction[s]);
  for (auto& [key, count] : categories) {
    report.by_category.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
  }

  store::ComplaintFilter open_then;
  open_then.unresolved_at_only = true;
  open_then.unresolved_at = end;
  open_then.scope = o.scope;
  auto open = store::LoadComplaints(db, open_then);
  if (!open.ok()) return open.status();
  for (const store::ComplaintRecord& c : *open) {
    ++report.open;
    ++report.open_by_severity[c.severity];
    if (IsOverdue(c, end, o.deadlines)) {
      ++report.overdue;
      ++report.overdue_by_severity[c.severity];
    }
  }
  return report;
}

}  // namespace tenure::engine
