#include "engine/customer_list.h"

#include <charconv>
#include <optional>
#include <span>
#include <string_view>

#include "common/numbers.h"
#include "common/time.h"
#include "domain/enums.h"
#include "store/workbench_queries.h"

namespace tenure::engine {
namespace {

bool IsMoneyMetric(std::string_view column) {
  return column == "cumulative_sales" || column == "gross_profit" || column == "receivables" ||
         column == "credit_limit" || column == "clv" ||
         column == "value_at_risk";
}

// A filter value as the store compares it: enum names become codes, money
// becomes minor units, times become seconds.
Result<std::string> FilterValue(const std::string& column, const std::string& text,
                                const std::string& param, int currency_decimals) {
  auto by_name = [&](std::span<const std::string_view> names) -> Result<std::string> {
    std::optional<int> code = domain::ParseEnumName(names, text);
    if (!code) return Status::InvalidArgument("unknown value '" + text + "'", param);
    return std::to_string(*code);
  };
  if (column == "status") return by_name(domain::kCustomerStatusNames);
  if (column == "lead_stage") return by_name(domain::kLeadStageNames);
  if (column == "credit_rating") return by_name(domain::kCreditRatingNames);
  if (IsMoneyMetric(column)) {
    std::string error;
    std::optional<Money> amount = ParseMoney(text, currency_decimals, &error);
    if (!amount) return Status::InvalidArgument("not an amount '" + text + "'", param);
    return std::to_string(*amount);
  }
  if (column == "last_contact_at") {
    std::optional<Timestamp> at = ParseTimestamp(text);
    if (!at) return Status::InvalidArgument("not a time '" + text + "'", param);
    return std::to_string(*at);
  }
  return text;
}

}  // namespace

Result<store::CustomerListQuery> CustomerListQueryOf(std::span<const ListParam> params,
                                                     int currency_decimals) {
  store::CustomerListQuery query;
  for (const auto& [name, value] : params) {
    if (name == "q") {
      query.search = value;
    } else if (name == "after") {
      query.after = value;
    } else if (name == "ids") {
      // Several customers at once (a page naming them by id, such as the
      // complaints board): the ones in the scope are listed.
      for (std::string_view rest = value; !rest.empty();) {
        size_t comma = rest.find(',');
        std::string_view part = rest.substr(0, comma);
        int64_t id = 0;
        auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), id);
        if (error != std::errc() || end != part.data() + part.size() || id <= 0) {
          return Status::InvalidArgument("expected customer ids separated by ','", "ids");
        }
        query.ids.push_back(id);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
      if (query.ids.empty() || query.ids.size() > 1000) {
        return Status::InvalidArgument("expected 1-1000 customer ids", "ids");
      }
    } else if (name == "sort") {
      query.descending = !value.empty() && value[0] == '-';
      query.sort = query.descending ? value.substr(1) : value;
    } else if (store::IsCustomerDimension(name)) {
      auto v = FilterValue(name, value, name, currency_decimals);
      if (!v.ok()) return v.status();
      query.equals.emplace_back(name, *v);
    } else if ((name.rfind("min_", 0) == 0 || name.rfind("max_", 0) == 0) &&
               store::IsCustomerMetric(name.substr(4))) {
      std::string column = name.substr(4);
      auto v = FilterValue(column, value, name, currency_decimals);
      if (!v.ok()) return v.status();
      store::CustomerListQuery::Range range{column, "", ""};
      (name[1] == 'i' ? range.min : range.max) = *v;
      query.ranges.push_back(std::move(range));
    } else {
      return Status::InvalidArgument(
          "unknown parameter (q, ids, sort, after, limit, format, a dimension, or min_/max_ a "
          "metric)",
          name);
    }
  }
  return query;
}

Result<int64_t> UserIdOf(store::Database& db, const std::string& username,
                         const std::string& field) {
  auto user = store::FindScopeUser(db, username);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return Status::NotFound("no user '" + username + "'", field);
  return (*user)->id;
}

Result<int64_t> TeamIdOf(store::Database& db, const std::string& team, const std::string& field) {
  auto id = store::FindTeamId(db, team);
  if (!id.ok()) return id.status();
  if (!id->has_value()) return Status::NotFound("no team '" + team + "'", field);
  return **id;
}

}  // namespace tenure::engine
