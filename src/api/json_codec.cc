#include "api/json_codec.h"

#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "api/json_writer.h"
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

// A money amount in minor units, and the currency's number of them.
struct MoneyAmount {
  Money units;
  int decimals;
};

// Hands `out` the JSON value of `field`'s `value`, as one of: nullptr, a
// std::string_view, an int64_t, a double, a bool or a MoneyAmount. The one
// place that decides how a field looks, for the tree (ValueJson) and the
// writer.
template <typename Out>
void EmitValue(const domain::FieldSpec& field, const domain::Value& value, int decimals,
               Out&& out) {
  if (std::holds_alternative<std::monostate>(value)) return out(nullptr);
  if (const auto* text = std::get_if<std::string>(&value)) return out(std::string_view(*text));
  if (const auto* real = std::get_if<double>(&value)) return out(*real);
  int64_t n = std::get<int64_t>(value);
  switch (field.type) {
    case FieldType::kMoney:
      return out(MoneyAmount{n, decimals});
    case FieldType::kTimestamp: {
      char text[kTimestampTextLength];
      FormatTimestampTo(n, text);
      return out(std::string_view(text, kTimestampTextLength));
    }
    case FieldType::kBool:
      return out(n != 0);
    case FieldType::kEnum:
      if (n >= 0 && static_cast<size_t>(n) < field.enum_names.size()) {
        return out(std::string_view(field.enum_names[static_cast<size_t>(n)]));
      }
      return out(n);
    default:
      return out(n);
  }
}

void WriteValue(JsonWriter& w, std::nullptr_t) { w.Null(); }
void WriteValue(JsonWriter& w, std::string_view text) { w.String(text); }
void WriteValue(JsonWriter& w, int64_t n) { w.Int(n); }
void WriteValue(JsonWriter& w, double x) { w.Double(x); }
void WriteValue(JsonWriter& w, bool b) { w.Bool(b); }
void WriteValue(JsonWriter& w, MoneyAmount m) { w.Decimal(m.units, m.decimals); }

JsonWriter& WriteDate(JsonWriter& w, Date d) {
  char text[kDateTextLength];
  FormatDateTo(d, text);
  return w.String(std::string_view(text, kDateTextLength));
}

JsonWriter& WriteTimestamp(JsonWriter& w, Timestamp t) {
  char text[kTimestampTextLength];
  FormatTimestampTo(t, text);
  return w.String(std::string_view(text, kTimestampTextLength));
}

// The members of a row: "id", "external_id", every field, "created_at",
// "updated_at"; references as the ExportRow holds them (external ids).
void WriteRowMembers(JsonWriter& w, const domain::EntitySpec& spec, const store::ExportRow& row,
                     int decimals) {
  w.Key("id").Int(row.id);
  w.Key("external_id");
  row.external_id.empty() ? w.Null() : w.String(row.external_id);
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    w.Key(spec.fields[i].name);
    EmitValue(spec.fields[i], row.values[i], decimals, [&](auto v) { WriteValue(w, v); });
  }
  w.Key("created_at");
  WriteTimestamp(w, row.created_at);
  w.Key("updated_at");
  WriteTimestamp(w, row.updated_at);
}

// Checks the numbers of a JSON text as nlohmann's SAX parser meets them
// (json::sax_parse): the parser turns 1e-400 into 0 and 1e400 into infinity
// without a word, and a number above 2^63 - 1 would wrap around where it is
// read as a signed integer. The error names the key the number is under.
class NumberCheck {
 public:
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(json::number_integer_t) { return true; }
  bool number_unsigned(json::number_unsigned_t n) {
    if (n <= static_cast<json::number_unsigned_t>(INT64_MAX)) return true;
    return Fail("is larger than a 64-bit integer holds");
  }
  bool number_float(json::number_float_t n, const std::string& text) {
    if (!std::isfinite(n)) return Fail("is too large a number: " + text);
    if (n == 0) {
      // Zero only when every digit of the mantissa is.
      for (char c : text) {
        if (c == 'e' || c == 'E') break;
        if (c >= '1' && c <= '9') return Fail("is too small a number to hold: " + text);
      }
    }
    return true;
  }
  bool string(std::string&) { return true; }
  bool binary(json::binary_t&) { return true; }
  bool start_object(std::size_t) {
    keys_.emplace_back();
    return true;
  }
  bool key(std::string& key) {
    keys_.back() = key;
    return true;
  }
  bool end_object() {
    keys_.pop_back();
    return true;
  }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t, const std::string& token, const nlohmann::detail::exception& e) {
    // 406: a number too large for a double (1e400); the rest is not JSON.
    if (e.id == 406) return Fail("is too large a number: " + token);
    error_ = Status::InvalidArgument("the body is not a JSON object", "body");
    return false;
  }

  const Status& error() const { return error_; }

 private:
  bool Fail(const std::string& message) {
    error_ = Status::InvalidArgument(message, keys_.empty() ? "body" : keys_.back());
    return false;
  }

  std::vector<std::string> keys_;
  Status error_;
};

}  // namespace

std::string JsonText(const json& value, int indent) {
  return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

Result<json> ParseBody(std::string_view text) {
  NumberCheck check;
  json::sax_parse(text, &check);
  if (!check.error().ok()) return check.error();
  json body = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return Status::InvalidArgument("the body is not a JSON object", "body");
  }
  return body;
}

json TextOrNull(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json NumberOrNull(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

double MoneyValue(Money amount, int decimals) {
  return static_cast<double>(amount) / std::pow(10.0, decimals);
}

json MoneyJson(Money amount, int decimals) { return MoneyValue(amount, decimals); }

json ValueJson(const domain::FieldSpec& field, const domain::Value& value, int decimals) {
  json out;
  EmitValue(field, value, decimals, [&](auto v) {
    if constexpr (std::is_same_v<decltype(v), MoneyAmount>) {
      out = MoneyValue(v.units, v.decimals);
    } else {
      out = v;
    }
  });
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

std::string ProfileText(const engine::CustomerProfile& p, int decimals,
                        std::optional<int64_t> version) {
  JsonWriter w(8192);  // most profiles of the demo company fit
  w.BeginObject();
  WriteRowMembers(w, domain::SpecOf(domain::Entity::kCustomer), p.customer, decimals);
  const engine::CustomerMetrics& m = p.metrics;
  auto date = [&](std::string_view key, const std::optional<Date>& d) {
    w.Key(key);
    d ? WriteDate(w, *d) : w.Null();
  };
  auto money = [&](std::string_view key, Money v) { w.Key(key).Decimal(v, decimals); };
  auto number = [&](std::string_view key, const auto& v) {
    w.Key(key);
    if (!v) {
      w.Null();
    } else if constexpr (std::is_floating_point_v<std::decay_t<decltype(*v)>>) {
      w.Double(*v);
    } else {
      w.Int(*v);
    }
  };
  w.Key("as_of");
  WriteDate(w, p.as_of);
  date("first_order_date", m.first_order_date);
  date("last_order_date", m.last_order_date);
  w.Key("order_count").Int(m.order_count);
  w.Key("order_days").Int(m.order_days);
  money("cumulative_sales", m.cumulative_sales);
  money("gross_profit", m.gross_profit);
  number("average_purchase_cycle_days", m.average_purchase_cycle_days);
  date("next_purchase_date", m.next_purchase_date);
  number("days_overdue_to_buy", m.days_overdue_to_buy);
  w.Key("last_contact_at");
  m.last_contact_at ? WriteTimestamp(w, *m.last_contact_at) : w.Null();
  number("days_since_last_contact", m.days_since_last_contact);
  money("receivables", m.receivables);
  money("overdue_receivables", m.overdue_receivables);
  date("oldest_open_due_on", m.oldest_open_due_on);

  // The purchase-model scores; every key null when the customer is not scored.
  w.Key("scores").BeginObject();
  if (const std::optional<engine::CustomerScores>& s = p.scores) {
    w.Key("p_alive").Double(s->p_alive);
    w.Key("expected_purchases_30").Double(s->expected_purchases_30);
    w.Key("expected_purchases_90").Double(s->expected_purchases_90);
    w.Key("expected_purchases_365").Double(s->expected_purchases_365);
    money("clv", s->clv);
    w.Key("model_next_purchase_date");
    WriteDate(w, s->model_next_purchase_date);
    w.Key("p_no_purchase_90");
    s->p_no_purchase_90 ? w.Double(*s->p_no_purchase_90) : w.Null();
    w.Key("scored_at");
    WriteTimestamp(w, s->scored_at);
    w.Key("score_model").String(s->score_model);
    date("as_of", s->as_of);
  } else {
    for (const char* key : {"p_alive", "expected_purchases_30", "expected_purchases_90",
                            "expected_purchases_365", "clv", "model_next_purchase_date",
                            "p_no_purchase_90", "scored_at", "score_model", "as_of"}) {
      w.Key(key).Null();
    }
  }
  w.EndObject();

  // The risk of losing the customer; every key null when not scored.
  w.Key("risk").BeginObject();
  if (const std::optional<engine::risk::CustomerRisk>& r = p.risk) {
    w.Key("probability").Double(r->probability);
    money("value_at_risk", r->value_at_risk);
    w.Key("health").Int(r->health);
    w.Key("health_month_ago");
    r->health_month_ago ? w.Int(*r->health_month_ago) : w.Null();
    w.Key("horizon_days").Int(r->horizon_days);
    w.Key("as_of").String(r->as_of);
    w.Key("reasons").BeginArray();
    for (const engine::risk::RiskReason& reason : r->reasons) {
      w.BeginObject();
      w.Key("reason").String(reason.code);
      w.Key("points").Int(reason.points);
      w.Key("text").String(reason.text);
      w.EndObject();
    }
    w.EndArray();
    w.Key("history").BeginArray();
    for (const auto& [as_of, health] : r->history) {
      w.BeginObject();
      w.Key("as_of").String(as_of);
      w.Key("health").Int(health);
      w.EndObject();
    }
    w.EndArray();
  } else {
    for (const char* key : {"probability", "value_at_risk", "health", "health_month_ago",
                            "horizon_days", "as_of", "reasons", "history"}) {
      w.Key(key).Null();
    }
  }
  w.EndObject();

  for (const engine::ProfileSection& section : p.sections) {
    w.Key(section.spec->name).BeginArray();
    for (const store::ExportRow& row : section.rows) {
      w.BeginObject();
      WriteRowMembers(w, *section.spec, row, decimals);
      w.EndObject();
    }
    w.EndArray();
  }
  w.Key("products").BeginArray();
  for (const store::ProductSalesRow& product : p.products) {
    w.BeginObject();
    w.Key("product_id").String(product.key);
    w.Key("name").String(product.name);
    w.Key("category");
    product.category.empty() ? w.Null() : w.String(product.category);
    w.Key("quantity").Double(product.quantity);
    money("amount", product.amount);
    money("returned", product.returned);
    w.Key("orders").Int(product.orders);
    w.Key("last_order_date");
    product.last_order_date.empty() ? w.Null() : w.String(product.last_order_date);
    w.EndObject();
  }
  w.EndArray();
  if (version) w.Key("version").Int(*version);
  w.EndObject();
  return w.Take();
}

json ProfileJson(const engine::CustomerProfile& profile, int decimals) {
  return json::parse(ProfileText(profile, decimals, std::nullopt));
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
                    {"amount", OrNull(r.amount, [&](Money v) { return MoneyJson(v, decimals); })},
                    {"note", TextOrNull(r.note)},
                    {"task_id", r.task_id ? json(*r.task_id) : json(nullptr)},
                    {"task_action", TextOrNull(r.task_action)}});
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

json CustomerRowJson(const store::CustomerListRow& r, int decimals) {
  auto text = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  auto opt = [](const auto& v) { return v ? json(*v) : json(nullptr); };
  return {
      {"id", r.id},
      {"external_id", text(r.external_id)},
      {"name", r.name},
      {"type", text(r.type)},
      {"industry", text(r.industry)},
      {"level", text(r.level)},
      {"source", text(r.source)},
      {"province", text(r.province)},
      {"city", text(r.city)},
      {"phone", text(r.phone)},
      {"email", text(r.email)},
      {"status",
       domain::NameOf(domain::kCustomerStatusNames, static_cast<domain::CustomerStatus>(r.status))},
      {"lead_stage", r.lead_stage
                         ? json(domain::NameOf(domain::kLeadStageNames,
                                               static_cast<domain::LeadStage>(*r.lead_stage)))
                         : json(nullptr)},
      {"owner_id", opt(r.owner_id)},
      {"owner", text(r.owner)},
      {"team_id", opt(r.team_id)},
      {"first_order_date", text(r.first_order_date)},
      {"last_order_date", text(r.last_order_date)},
      {"next_purchase_date", text(r.next_purchase_date)},
      {"order_count", r.order_count},
      {"cumulative_sales", MoneyJson(r.cumulative_sales, decimals)},
      {"gross_profit", MoneyJson(r.gross_profit, decimals)},
      {"average_purchase_cycle_days", opt(r.avg_purchase_cycle_days)},
      {"last_contact_at",
       r.last_contact_at ? json(FormatTimestamp(*r.last_contact_at)) : json(nullptr)},
      {"receivables", MoneyJson(r.receivables, decimals)},
      {"version", r.version},
      {"created_at", FormatTimestamp(r.created_at)},
      {"updated_at", FormatTimestamp(r.updated_at)},
      {"p_alive", opt(r.p_alive)},
      {"clv", r.clv ? MoneyJson(*r.clv, decimals) : json(nullptr)},
      {"model_next_purchase_date", text(r.model_next_purchase_date)},
      {"risk_probability", opt(r.risk_probability)},
      {"value_at_risk", r.value_at_risk ? MoneyJson(*r.value_at_risk, decimals) : json(nullptr)},
      {"health", opt(r.health)}};
}

json CustomerPageJson(const store::CustomerListPage& page, int decimals) {
  json items = json::array();
  for (const store::CustomerListRow& row : page.rows)
    items.push_back(CustomerRowJson(row, decimals));
  return {{"items", std::move(items)},
          {"next_cursor", page.next_cursor.empty() ? json(nullptr) : json(page.next_cursor)}};
}

json WorkbenchJson(const engine::Workbench& bench, int decimals) {
  json lists = json::array();
  for (const engine::WorkbenchList& list : bench.lists) {
    lists.push_back(WorkbenchListJson(list, decimals));
  }
  return {{"as_of", FormatDate(bench.as_of)}, {"scope", ScopeJson(bench.scope)}, {"lists", lists}};
}

}  // namespace tenure::api
