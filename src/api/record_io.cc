#include "api/record_io.h"

#include "api/json_codec.h"

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

Reply RecordReply(const domain::EntitySpec& spec, const engine::Record& record, int decimals,
                  int status) {
  Reply reply;
  reply.status = status;
  reply.body = RecordJson(spec, record, decimals);
  reply.headers.emplace_back("ETag", "\"" + std::to_string(record.version) + "\"");
  return reply;
}

}  // namespace tenure::api
