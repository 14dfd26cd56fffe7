#include "api/json_codec.h"

#include <cmath>

#include "common/time.h"
#include "domain/enums.h"

namespace tenure::api {
namespace {

using domain::FieldType;
using nlohmann::json;

template <typename T, typename F>
json OrNull(const std::optional<T>& value, F convert) {
  return value ? json(convert(*value)) : json(nullptr);
}

}  // namespace

json TextOrNull(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json MoneyJson(Money amount, int decimals) {
  return static_cast<double>(amount) / std::pow(10.0, decimals);
}

json ValueJson(const domain::FieldSpec& field, const domain::Value& value, int decimals) {
  if (std::holds_alternative<std::monostate>(value)) return nullptr;
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* real = std::get_if<double>(&value)) return *real;
  int64_t n = std::get<int64_t>(value);
  switch (field.type) {
    case FieldType::kMoney:
      return MoneyJson(n, decimals);
    case FieldType::kTimestamp:
      return FormatTimestamp(n);
    case FieldType::kBool:
      return n != 0;
    case FieldType::kEnum:
      if (n >= 0 && static_cast<size_t>(n) < field.enum_names.size()) {
        return std::string(field.enum_names[static_cast<size_t>(n)]);
      }
      return n;
    default:
      return n;
  }
}

json RowJson(const domain::EntitySpec& spec, const store::ExportRow& row, int decimals) {
  json out = {{"id", row.id}, {"external_id", TextOrNull(row.external_id)}};
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    out[std::string(spec.fields[i].name)] = ValueJson(spec.fields[i], row.values[i], decimals);
  }
  out["created_at"] = FormatTimestamp(row.created_at);
  out["updated_at"] = FormatTimestamp(row.updated_at);
  return out;
}

json RecordJson(const domain::EntitySpec& spec, const engine::Record& record, int decimals) {
  json out = {{"id", record.id}, {"external_id", TextOrNull(record.external_id)}};
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    out[std::string(spec.fields[i].name)] = ValueJson(spec.fields[i], record.values[i], decimals);
  }
  out["version"] = record.version;
  out["created_at"] = FormatTimestamp(record.created_at);
  out["updated_at"] = FormatTimestamp(record.updated_at);
  return out;
}

json ScoresJson(const std::optional<engine::CustomerScores>& s, int decimals) {
  if (!s) {
    json out;
    for (const char* key :
         {"p_alive", "expected_purchases_30", "expected_purchases_90", "expected_purchases_365",
          "clv", "model_next_purchase_date", "scored_at", "score_model", "as_of"}) {
      out[key] = nullptr;
    }
    return out;
  }
  return {{"p_alive", s->p_alive},
          {"expected_purchases_30", s->expected_purchases_30},
          {"expected_purchases_90", s->expected_purchases_90},
          {"expected_purchases_365", s->expected_purchases_365},
          {"clv", MoneyJson(s->clv, decimals)},
          {"model_next_purchase_date", FormatDate(s->model_next_purchase_date)},
          {"scored_at", FormatTimestamp(s->scored_at)},
          {"score_model", s->score_model},
          {"as_of", OrNull(s->as_of, [](Date d) { return FormatDate(d); })}};
}

json ProfileJson(const engine::CustomerProfile& p, int decimals) {
  json out = RowJson(domain::SpecOf(domain::Entity::kCustomer), p.customer, decimals);
  const engine::CustomerMetrics& m = p.metrics;
  auto date = [](Date d) { return FormatDate(d); };
  auto money = [&](Money v) { return MoneyJson(v, decimals); };
  auto same = [](auto v) { return v; };
  out["as_of"] = FormatDate(p.as_of);
  out["first_order_date"] = OrNull(m.first_order_date, date);
  out["last_order_date"] = OrNull(m.last_order_date, date);
  out["order_count"] = m.order_count;
  out["order_days"] = m.order_days;
  out["cumulative_sales"] = money(m.cumulative_sales);
  out["gross_profit"] = money(m.gross_profit);
  out["average_purchase_cycle_days"] = OrNull(m.average_purchase_cycle_days, same);
  out["next_purchase_date"] = OrNull(m.next_purchase_date, date);
  out["days_overdue_to_buy"] = OrNull(m.days_overdue_to_buy, same);
  out["last_contact_at"] =
      OrNull(m.last_contact_at, [](Timestamp t) { return FormatTimestamp(t); });
  out["days_since_last_contact"] = OrNull(m.days_since_last_contact, same);
  out["receivables"] = money(m.receivables);
  out["overdue_receivables"] = money(m.overdue_receivables);
  out["oldest_open_due_on"] = OrNull(m.oldest_open_due_on, date);
  out["scores"] = ScoresJson(p.scores, decimals);
  for (const engine::ProfileSection& section : p.sections) {
    json rows = json::array();
    for (const store::ExportRow& row : section.rows) {
      rows.push_back(RowJson(*section.spec, row, decimals));
    }
    out[std::string(section.spec->name)] = std::move(rows);
  }
  return out;
}

json ScopeJson(const engine::Scope& s) {
  auto opt = [](const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); };
  return {{"kind", s.kind()},
          {"user", TextOrNull(s.username)},
          {"role", domain::NameOf(domain::kUserRoleNames, s.role)},
          {"user_id", opt(s.user_id)},
          {"team_id", opt(s.team_id)},
          {"team", TextOrNull(s.team)}};
}

json WorkbenchListJson(const engine::WorkbenchList& list, int decimals) {
  json rows = json::array();
  for (const store::WorkbenchRow& r : list.rows) {
    rows.push_back({{"customer_id", r.customer_id},
                    {"external_id", TextOrNull(r.external_id)},
                    {"name", r.name},
                    {"owner", TextOrNull(r.owner)},
                    {"date", TextOrNull(r.date)},
                    {"amount", OrNull(r.amount, [&](Money v) { return MoneyJson(v, decimals); })}});
  }
  json out = {{"name", list.name},         {"title", list.title}, {"from", TextOrNull(list.from)},
              {"to", TextOrNull(list.to)}, {"count", list.count}, {"rows", rows}};
  if (list.name == "lost") {
    json years = json::array();
    for (const store::YearCount& y : list.by_year) {
      years.push_back({{"year", y.year}, {"count", y.count}});
    }
    out["by_year"] = years;
  }
  return out;
}

json WorkbenchJson(const engine::Workbench& bench, int decimals) {
  json lists = json::array();
  for (const engine::WorkbenchList& list : bench.lists) {
    lists.push_back(WorkbenchListJson(list, decimals));
  }
  return {{"as_of", FormatDate(bench.as_of)}, {"scope", ScopeJson(bench.scope)}, {"lists", lists}};
}

}  // namespace tenure::api
