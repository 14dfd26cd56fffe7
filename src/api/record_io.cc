#include "api/record_io.h"

#include "api/json_codec.h"
#include "engine/complaints.h"

namespace tenure::api {
namespace {

using domain::FieldType;
using nlohmann::json;

Result<domain::Value> Money(const std::string& text, int decimals, const std::string& field) {
  std::string error;
  std::optional<tenure::Money> amount = ParseMoney(text, decimals, &error);
  if (!amount) return Status::InvalidArgument("not an amount '" + text + "': " + error, field);
  return domain::Value(*amount);
}

}  // namespace

Result<domain::Value> FilterValueOf(const domain::EntitySpec& spec, const std::string& field,
                                    const std::string& text, int decimals) {
  std::optional<size_t> index = spec.FieldIndex(field);
  if (index && spec.fields[*index].type == FieldType::kMoney) return Money(text, decimals, field);
  return domain::Value(text);
}

Result<engine::FieldValues> FieldsOf(const domain::EntitySpec& spec, const json& body,
                                     int decimals) {
  engine::FieldValues fields;
  if (!body.is_object()) return fields;
  for (const auto& [name, value] : body.items()) {
    if (name == "version") continue;
    std::optional<size_t> index = spec.FieldIndex(name);
    if (!index && name != "external_id") {
      return Status::InvalidArgument("no field '" + name + "' in " + std::string(spec.name), name);
    }
    bool money = index && spec.fields[*index].type == FieldType::kMoney;
    domain::Value v;
    if (value.is_null()) {
      v = std::monostate();
    } else if (value.is_boolean()) {
      v = static_cast<int64_t>(value.get<bool>() ? 1 : 0);
    } else if (money && (value.is_number() || value.is_string())) {
      // In the currency unit, as every amount the API sends.
      std::string text = value.is_string() ? value.get<std::string>() : JsonText(value);
      auto amount = Money(text, decimals, name);
      if (!amount.ok()) return amount.status();
      v = *amount;
    } else if (value.is_number_integer()) {
      v = value.get<int64_t>();
    } else if (value.is_number()) {
      v = value.get<double>();
    } else if (value.is_string()) {
      v = value.get<std::string>();
    } else {
      return Status::InvalidArgument("expected a number, text, true/false or null", name);
    }
    fields.emplace_back(name, std::move(v));
  }
  return fields;
}

json RecordBody(const Context& c, const domain::EntitySpec& spec, const engine::Record& record) {
  json out = RecordJson(spec, record, c.options.currency_decimals);
  if (spec.entity != domain::Entity::kComplaint) return out;
  auto int_of = [&](std::string_view name) -> std::optional<int64_t> {
    std::optional<size_t> i = spec.FieldIndex(name);
    const int64_t* v = i ? std::get_if<int64_t>(&record.values[*i]) : nullptr;
    return v ? std::optional<int64_t>(*v) : std::nullopt;
  };
  store::ComplaintRecord complaint;
  complaint.opened_at = int_of("opened_at").value_or(0);
  complaint.severity = static_cast<int>(int_of("severity").value_or(1));
  complaint.status = static_cast<int>(int_of("status").value_or(0));
  complaint.resolved_at = int_of("resolved_at");
  const engine::ComplaintDeadlines& deadlines = c.options.complaint_deadlines;
  out["deadline"] = FormatTimestamp(deadlines.DeadlineOf(complaint));
  Timestamp end_of_today = StartOf(DateOf(c.now)) + 86400;
  out["overdue"] = engine::IsOverdue(complaint, end_of_today, deadlines);
  return out;
}

Reply RecordReply(const Context& c, const domain::EntitySpec& spec, const engine::Record& record,
                  int status) {
  Reply reply;
  reply.status = status;
  reply.body = RecordBody(c, spec, record);
  reply.headers.emplace_back("ETag", "\"" + std::to_string(record.version) + "\"");
  return reply;
}

}  // namespace tenure::api
