#include "engine/credit.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "domain/entity.h"
#include "engine/metrics.h"
#include "store/entity_table.h"

namespace tenure::engine {
namespace {

using domain::CreditRating;

std::string DisplayId(const store::CustomerCredit& c) {
  return c.external_id.empty() ? std::to_string(c.id) : c.external_id;
}

// Whether `balance` is above `percent` % of `limit`, in integers so that
// exactly 100 % is not "above 100 %".
bool Above(Money balance, std::optional<Money> limit, int percent) {
  return limit &&
         static_cast<long double>(balance) * 100 > static_cast<long double>(*limit) * percent;
}

std::string LimitUseText(const CreditFile& f, int percent) {
  std::string use = f.limit_use ? std::to_string(static_cast<int64_t>(*f.limit_use * 100 + 0.5)) +
                                      "% of the credit limit"
                                : "above a credit limit of 0";
  return "open balances are " + use + " (more than " + std::to_string(percent) + "%)";
}

// Groups the invoice scan by customer: calls `visit` with each customer's
// invoices in customer order.
Status ScanByCustomer(
    store::Database& db,
    const std::function<Status(int64_t, std::span<const store::InvoiceFact>)>& visit) {
  std::vector<store::InvoiceFact> current;
  TENURE_RETURN_IF_ERROR(
      store::ScanInvoiceFacts(db, std::nullopt, [&](const store::InvoiceFact& f) -> Status {
        if (!current.empty() && current.front().customer_id != f.customer_id) {
          TENURE_RETURN_IF_ERROR(visit(current.front().customer_id, current));
          current.clear();
        }
        current.push_back(f);
        return Status::Ok();
      }));
  if (!current.empty()) return visit(current.front().customer_id, current);
  return Status::Ok();
}

}  // namespace

CreditFile ComputeCreditFile(std::span<const store::InvoiceFact> invoices,
                             std::optional<Money> credit_limit, std::optional<Date> defaulted_on,
                             Date as_of, const CreditRules& rules) {
  CreditFile f;
  f.as_of = as_of;
  f.credit_limit = credit_limit;
  f.defaulted_on = defaulted_on;
  int64_t days_late_sum = 0;
  for (const store::InvoiceFact& inv : invoices) {
    if (inv.issued_on && *inv.issued_on > as_of) continue;  // not issued yet
    ++f.invoices;
    Money payment = !inv.paid_on || *inv.paid_on <= as_of ? inv.paid_amount : 0;
    Money balance = inv.amount - payment;
    if (balance <= 0) {
      ++f.paid;
      int64_t late = inv.paid_on ? inv.paid_on->days - inv.due_on.days : 0;
      if (late <= 0) {
        ++f.paid_on_time;
        continue;
      }
      ++f.paid_late;
      days_late_sum += late;
      f.max_days_late = std::max(f.max_days_late, late);
      if (late > rules.b_late_grace_days &&
          inv.paid_on->days > as_of.days - rules.b_late_window_days) {
        ++f.late_in_window;
      }
      continue;
    }
    ++f.open_invoices;
    f.open_balance += balance;
    if (inv.due_on < as_of) {
      ++f.overdue_invoices;
      f.overdue_amount += balance;
      f.oldest_overdue_days =
          std::max<int64_t>(f.oldest_overdue_days, as_of.days - inv.due_on.days);
    }
  }
  if (f.paid_late > 0) f.average_days_late = static_cast<double>(days_late_sum) / f.paid_late;
  if (credit_limit && *credit_limit > 0) {
    f.limit_use = static_cast<double>(f.open_balance) / static_cast<double>(*credit_limit);
  }

  // Each reason with its grade; the rating is the worst grade.
  std::vector<std::pair<CreditRating, std::string>> reasons;
  auto overdue = [&](int limit) {
    return "an invoice is " + std::to_string(f.oldest_overdue_days) + " days overdue (more than " +
           std::to_string(limit) + ")";
  };
  if (f.oldest_overdue_days > rules.d_overdue_days) {
    reasons.emplace_back(CreditRating::kD, overdue(rules.d_overdue_days));
  } else if (f.oldest_overdue_days > rules.c_overdue_days) {
    reasons.emplace_back(CreditRating::kC, overdue(rules.c_overdue_days));
  } else if (f.oldest_overdue_days > rules.b_late_grace_days) {
    reasons.emplace_back(CreditRating::kB, overdue(rules.b_late_grace_days));
  }
  if (rules.d_on_default && defaulted_on) {
    reasons.emplace_back(CreditRating::kD, "lost as a defaulter on " + FormatDate(*defaulted_on));
  }
  if (Above(f.open_balance, credit_limit, rules.c_limit_use_percent)) {
    reasons.emplace_back(CreditRating::kC, LimitUseText(f, rules.c_limit_use_percent));
  } else if (Above(f.open_balance, credit_limit, rules.b_limit_use_percent)) {
    reasons.emplace_back(CreditRating::kB, LimitUseText(f, rules.b_limit_use_percent));
  }
  if (f.late_in_window > 0) {
    reasons.emplace_back(CreditRating::kB, std::to_string(f.late_in_window) + " payment" +
                                               (f.late_in_window == 1 ? "" : "s") +
                                               " late in the last " +
                                               std::to_string(rules.b_late_window_days) + " days");
  }
  std::stable_sort(reasons.begin(), reasons.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  if (reasons.empty()) {
    reasons.emplace_back(CreditRating::kA, "nothing overdue, no late payment in the last " +
                                               std::to_string(rules.b_late_window_days) +
                                               " days, within the credit limit");
  }
  f.rating = reasons.front().first;
  for (const auto& [grade, text] : reasons) {
    f.reasons.push_back(std::string(domain::NameOf(domain::kCreditRatingNames, grade)) + ": " +
                        text);
  }
  return f;
}

Result<CreditFile> BuildCreditFile(store::Database& db, const store::RowKey& key, Date as_of,
                                   const CreditRules& rules) {
  store::RowKey trimmed = key;
  trimmed.text = std::string(Trim(key.text));
  auto customer = store::FindCustomerCredit(db, trimmed);
  if (!customer.ok()) return customer.status();
  if (!*customer) return Status::NotFound("unknown customer '" + key.ToString() + "'", "CUSTOMER");
  const store::CustomerCredit& c = **customer;
  std::vector<store::InvoiceFact> invoices;
  TENURE_RETURN_IF_ERROR(store::ScanInvoiceFacts(db, c.id, [&](const store::InvoiceFact& f) {
    invoices.push_back(f);
    return Status::Ok();
  }));
  std::optional<Date> defaulted;
  TENURE_RETURN_IF_ERROR(store::ScanDefaults(db, as_of, c.id, [&](int64_t, Date on) {
    defaulted = on;
    return Status::Ok();
  }));
  CreditFile f = ComputeCreditFile(invoices, c.credit_limit, defaulted, as_of, rules);
  f.customer_id = c.id;
  f.customer = DisplayId(c);
  f.name = c.name;
  f.owner = c.owner;
  if (c.credit_rating) f.stored_rating = static_cast<CreditRating>(*c.credit_rating);
  return f;
}

Result<RatingRun> RateCustomers(store::Database& db, Date as_of, const CreditRules& rules) {
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  struct Terms {
    int64_t id;
    std::optional<Money> limit;
    int stored;  // -1: none
    int rating;  // computed; -1 until its invoices are seen
  };
  std::vector<Terms> customers;
  TENURE_RETURN_IF_ERROR(store::ScanCustomerCredit(db, [&](const store::CustomerCredit& c) {
    customers.push_back({c.id, c.credit_limit, c.credit_rating.value_or(-1), -1});
    return Status::Ok();
  }));
  std::map<int64_t, Date> defaults;
  TENURE_RETURN_IF_ERROR(store::ScanDefaults(db, as_of, std::nullopt, [&](int64_t id, Date on) {
    defaults[id] = on;
    return Status::Ok();
  }));
  auto defaulted = [&](int64_t id) -> std::optional<Date> {
    auto it = defaults.find(id);
    return it == defaults.end() ? std::nullopt : std::optional<Date>(it->second);
  };
  // Both scans are in customer id order: walk them side by side.
  size_t next = 0;
  TENURE_RETURN_IF_ERROR(ScanByCustomer(db, [&](int64_t id,
                                                std::span<const store::InvoiceFact> invoices) {
    while (next < customers.size() && customers[next].id < id) ++next;
    if (next == customers.size() || customers[next].id != id) return Status::Ok();
    Terms& t = customers[next];
    t.rating =
        static_cast<int>(ComputeCreditFile(invoices, t.limit, defaulted(id), as_of, rules).rating);
    return Status::Ok();
  }));
  RatingRun run;
  Timestamp now = NowUtc();
  auto writer = store::CreditRatingWriter::Create(db);
  if (!writer.ok()) return writer.status();
  for (Terms& t : customers) {
    if (t.rating < 0) {
      t.rating =
          static_cast<int>(ComputeCreditFile({}, t.limit, defaulted(t.id), as_of, rules).rating);
    }
    ++run.customers;
    ++run.by_rating[t.rating];
    if (t.rating == t.stored) continue;
    ++run.changed;
    TENURE_RETURN_IF_ERROR((*writer)->Write(t.id, t.rating, now));
  }
  nlohmann::json after = {{"as_of", FormatDate(as_of)},
                          {"customers", run.customers},
                          {"changed", run.changed},
                          {"by_rating", run.by_rating}};
  TENURE_RETURN_IF_ERROR(
      store::AppendAudit(db, "credit_rate", "customers", std::nullopt,
                         after.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return run;
}

Result<CreditCheck> CheckCreditLimit(store::Database& db, int64_t customer_id, Money amount) {
  auto customer = store::LoadCustomerCredit(db, customer_id);
  if (!customer.ok()) return customer.status();
  if (!*customer)
    return Status::NotFound("no customer " + std::to_string(customer_id), "--customer");
  auto receivables = store::CurrentReceivables(db, customer_id);
  if (!receivables.ok()) return receivables.status();
  CreditCheck check;
  check.credit_limit = (*customer)->credit_limit;
  check.receivables = *receivables;
  check.amount = amount;
  check.exceeds = check.credit_limit && check.receivables + amount > *check.credit_limit;
  return check;
}

Result<OrderAdded> AddOrder(store::Database& db, const NewOrder& in) {
  if (in.amount < 0) return Status::InvalidArgument("must not be negative", "--amount");
  if (in.cost && *in.cost < 0) return Status::InvalidArgument("must not be negative", "--cost");
  if (in.quantity && !(*in.quantity >= 0)) {
    return Status::InvalidArgument("must not be negative", "--quantity");
  }
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  auto customer = store::FindCustomerCredit(db, in.customer);
  if (!customer.ok()) return customer.status();
  if (!*customer) {
    return Status::NotFound("unknown customer '" + in.customer.ToString() + "'", "--customer");
  }
  std::string external_id(Trim(in.external_id));
  if (!external_id.empty()) {
    auto exists = store::OrderExternalIdExists(db, external_id);
    if (!exists.ok()) return exists.status();
    if (*exists) return Status::AlreadyExists("order '" + external_id + "' exists already", "--id");
  }
  OrderAdded added;
  added.customer = DisplayId(**customer);
  auto check = CheckCreditLimit(db, (*customer)->id, in.amount);
  if (!check.ok()) return check.status();
  added.check = *check;
  auto money = [&](Money m) { return FormatMoney(m, in.currency_decimals); };
  if (check->exceeds && in.policy == CreditPolicy::kRefuse) {
    return Status::Conflict("order refused: customer " + added.customer +
                            " has a credit limit of " + money(*check->credit_limit) +
                            "; receivables " + money(check->receivables) + " + order " +
                            money(in.amount) + " = " + money(check->receivables + in.amount));
  }
  store::NewOrderRow row{external_id, (*customer)->id, in.order_date, in.amount,
                         in.cost,     in.quantity,     in.user_id};
  auto id = store::InsertOrder(db, row, NowUtc());
  if (!id.ok()) return id.status();
  added.order_id = *id;
  nlohmann::json after = {{"id", *id},
                          {"customer_id", row.customer_id},
                          {"order_date", FormatDate(row.order_date)},
                          {"amount", row.amount},
                          {"status", "completed"}};
  if (!external_id.empty()) after["external_id"] = external_id;
  if (row.cost) after["cost"] = *row.cost;
  if (row.quantity) after["quantity"] = *row.quantity;
  if (row.user_id) after["user_id"] = *row.user_id;
  TENURE_RETURN_IF_ERROR(
      store::AppendAudit(db, "insert", "orders", *id,
                         after.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  if (check->exceeds) {
    nlohmann::json flag = {{"customer_id", row.customer_id},
                           {"credit_limit", *check->credit_limit},
                           {"receivables", check->receivables},
                           {"amount", in.amount}};
    TENURE_RETURN_IF_ERROR(
        store::AppendAudit(db, "credit_flag", "orders", *id,
                           flag.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    added.flagged = true;
  }
  const int64_t ids[] = {row.customer_id};
  TENURE_RETURN_IF_ERROR(RefreshMetrics(db, ids));
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return added;
}

Result<std::vector<Defaulter>> FindDefaulters(store::Database& db, Date as_of, int min_days,
                                              const CreditRules& rules) {
  if (min_days < 0) return Status::InvalidArgument("must not be negative", "--min-days");
  std::vector<std::pair<int64_t, std::vector<store::InvoiceFact>>> candidates;
  TENURE_RETURN_IF_ERROR(
      ScanByCustomer(db, [&](int64_t id, std::span<const store::InvoiceFact> invoices) {
        CreditFile f = ComputeCreditFile(invoices, std::nullopt, std::nullopt, as_of, rules);
        if (f.oldest_overdue_days > min_days) {
          candidates.emplace_back(id, std::vector(invoices.begin(), invoices.end()));
        }
        return Status::Ok();
      }));
  std::vector<Defaulter> out;
  for (const auto& [id, invoices] : candidates) {
    auto customer = store::LoadCustomerCredit(db, id);
    if (!customer.ok()) return customer.status();
    if (!*customer) continue;
    const store::CustomerCredit& c = **customer;
    std::optional<Date> defaulted;
    TENURE_RETURN_IF_ERROR(store::ScanDefaults(db, as_of, id, [&](int64_t, Date on) {
      defaulted = on;
      return Status::Ok();
    }));
    CreditFile f = ComputeCreditFile(invoices, c.credit_limit, defaulted, as_of, rules);
    auto activity = store::LoadCustomerActivity(db, id, as_of);
    if (!activity.ok()) return activity.status();
    Defaulter d;
    d.customer_id = id;
    d.customer = DisplayId(c);
    d.name = c.name;
    d.owner = c.owner;
    d.overdue_amount = f.overdue_amount;
    d.receivables = f.open_balance;
    d.oldest_overdue_days = f.oldest_overdue_days;
    d.oldest_due_on = Date{static_cast<int32_t>(as_of.days - f.oldest_overdue_days)};
    d.last_order_date = activity->last_order_date;
    if (d.last_order_date) {
      d.days_since_last_order = as_of.days - d.last_order_date->days;
      d.still_orders = *d.last_order_date >= d.oldest_due_on;
    }
    if (activity->last_contact_at) {
      d.days_since_last_contact = as_of.days - DateOf(*activity->last_contact_at).days;
    }
    d.rating = f.rating;
    out.push_back(std::move(d));
  }
  std::sort(out.begin(), out.end(), [](const Defaulter& a, const Defaulter& b) {
    if (a.overdue_amount != b.overdue_amount) return a.overdue_amount > b.overdue_amount;
    return a.customer_id < b.customer_id;
  });
  return out;
}

}  // namespace tenure::engine
