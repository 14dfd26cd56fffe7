// `tenure customer list|find|show`.
//
// `list [filters] [--sort COL] [--limit N] [--after CURSOR] [--json]` and
// `find TEXT [filters] ...`: a page of customers, with the filters of GET
// /api/v1/customers under the same names (engine/customer_list.h; hyphens
// may stand for the underscores), read by the same store::ListCustomers. The
// CLI is the administrator's tool: every customer, unless --user asks for
// what one user sees. JSON: the API's page, {"items", "next_cursor"}.
//
// `show ID [--as-of DATE] [--json]`: one customer's whole profile. JSON: the
// customer's own fields and every metric at the top level (dates ISO, money
// a decimal number in the currency unit, unknown metrics null), a "scores"
// object (engine/scoring.h; every key null when not scored), then one array
// per related record kind.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "api/json_codec.h"
#include "cli/commands.h"
#include "cli/text_table.h"
#include "common/numbers.h"
#include "common/text.h"
#include "common/time.h"
#include "domain/enums.h"
#include "engine/accounts.h"
#include "engine/customer_list.h"
#include "engine/customer_profile.h"
#include "engine/scope.h"

namespace tenure::cli {
namespace {

using api::ProfileJson;
using domain::FieldSpec;
using nlohmann::json;

// The activities `customer show` lists; the rest are counted.
constexpr size_t kLatestActivities = 10;

// A cell of the profile's tables: "-" for nothing, yes or no.
std::string Cell(const json& v) {
  if (v.is_null() || (v.is_string() && v.get<std::string>().empty())) return "-";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  return api::JsonText(v);
}

void PrintContacts(const json& contacts) {
  TextTable table({{"name", false, 28},
                   {"title", false, 20},
                   {"phone"},
                   {"mobile"},
                   {"email", false, 40},
                   {"primary"}});
  for (const json& c : contacts) {
    table.AddRow({Cell(c["name"]), Cell(c["title"]), Cell(c["phone"]), Cell(c["mobile"]),
                  Cell(c["email"]), Cell(c["is_primary"])});
  }
  table.Print(stdout, "  ");
}

// The username a user reference of the profile stands for. A reference
// holds the user's external id, or its internal id when it has none (as the
// demo company's users have); the latter is looked up.
class UserNames {
 public:
  explicit UserNames(store::Database& db) {
    auto users = engine::ListUsers(db);
    if (!users.ok()) return;  // the ids are shown instead
    for (const engine::UserAccount& u : *users) {
      by_id_.emplace(std::to_string(u.id), u.username);
      usernames_.insert(u.username);
    }
  }
  std::string operator()(const std::string& reference) const {
    if (usernames_.contains(reference)) return reference;
    auto found = by_id_.find(reference);
    return found == by_id_.end() ? reference : found->second;
  }

 private:
  std::unordered_map<std::string, std::string> by_id_;
  std::unordered_set<std::string> usernames_;
};

// The newest activities first (the profile's order), the notes on one line.
void PrintActivities(const json& activities, const UserNames& user_names) {
  TextTable table({{"date"}, {"kind"}, {"user", false, 16}, {"outcome"}, {"notes", false, 60}});
  for (size_t i = 0; i < activities.size() && i < kLatestActivities; ++i) {
    const json& a = activities[i];
    std::string at = Cell(a["occurred_at"]);
    // "YYYY-MM-DDTHH:MM:SSZ" -> "YYYY-MM-DD HH:MM": the minute is enough.
    if (at.size() >= 16) at = at.substr(0, 10) + " " + at.substr(11, 5);
    table.AddRow({at, Cell(a["kind"]), user_names(Cell(a["user_id"])), Cell(a["outcome"]),
                  Cell(a["notes"])});
  }
  table.Print(stdout, "  ");
}

void PrintProfile(const engine::CustomerProfile& p, const UserNames& user_names,
                  const app::Config& config) {
  json j = ProfileJson(p, config.currency_decimals);
  const domain::EntitySpec& spec = domain::SpecOf(domain::Entity::kCustomer);
  fmt::print("Customer {} (id {})\n", j["name"].get<std::string>(), p.customer.id);
  for (const FieldSpec& field : spec.fields) {
    const json& v = j[std::string(field.name)];
    if (v.is_null() || field.name == "name") continue;
    fmt::print("  {:<24} {}\n", field.name,
               v.is_string() ? v.get<std::string>() : api::JsonText(v));
  }
  fmt::print("Metrics as of {}\n", FormatDate(p.as_of));
  for (const char* key :
       {"first_order_date", "last_order_date", "order_count", "cumulative_sales", "gross_profit",
        "average_purchase_cycle_days", "next_purchase_date", "days_overdue_to_buy",
        "days_since_last_contact", "receivables", "overdue_receivables"}) {
    const json& v = j[key];
    std::string text = v.is_null() ? "-" : v.is_string() ? v.get<std::string>() : api::JsonText(v);
    if (v.is_number_float()) text = fmt::format("{:.2f}", v.get<double>());
    fmt::print("  {:<28} {}\n", key, text);
  }
  if (p.scores) {
    const engine::CustomerScores& s = *p.scores;
    fmt::print("Scores ({}, as of {}, scored {})\n", s.score_model,
               s.as_of ? FormatDate(*s.as_of) : "-", FormatTimestamp(s.scored_at));
    fmt::print("  {:<28} {:.3f}\n", "p_alive", s.p_alive);
    fmt::print("  {:<28} {:.2f} / {:.2f} / {:.2f}\n", "expected_purchases_30/90/365",
               s.expected_purchases_30, s.expected_purchases_90, s.expected_purchases_365);
    fmt::print("  {:<28} {:.2f}\n", "clv", j["scores"]["clv"].get<double>());
    fmt::print("  {:<28} {}\n", "model_next_purchase_date", FormatDate(s.model_next_purchase_date));
  } else {
    fmt::print("Scores: not scored (run `tenure score`)\n");
  }
  if (const auto& r = p.risk) {
    fmt::print("Risk (as of {}, of being lost within {} days)\n", r->as_of, r->horizon_days);
    fmt::print("  {:<28} {:.3f}\n", "probability", r->probability);
    fmt::print("  {:<28} {:.2f}\n", "value_at_risk", j["risk"]["value_at_risk"].get<double>());
    fmt::print("  {:<28} {}{}\n", "health", r->health,
               r->health_month_ago ? fmt::format(" (a month ago {})", *r->health_month_ago) : "");
    for (const auto& reason : r->reasons) {
      fmt::print("  {:<28} -{} {}\n", reason.code, reason.points, reason.text);
    }
  } else {
    fmt::print("Risk: not scored (run `tenure risk train`, then `tenure risk score`)\n");
  }
  for (const engine::ProfileSection& section : p.sections) {
    const std::string name(section.spec->name);
    const size_t count = section.rows.size();
    if (section.spec->entity == domain::Entity::kContact && count > 0) {
      fmt::print("{}: {}\n", name, count);
      PrintContacts(j[name]);
    } else if (section.spec->entity == domain::Entity::kActivity && count > 0) {
      const std::string key =
          p.customer.external_id.empty() ? std::to_string(p.customer.id) : p.customer.external_id;
      fmt::print("{}: {}{}\n", name, count,
                 count > kLatestActivities
                     ? fmt::format(" (the latest {}; all: tenure team history --customer {})",
                                   kLatestActivities, key)
                     : "");
      PrintActivities(j[name], user_names);
    } else {
      fmt::print("{}: {}\n", name, count);
    }
  }
  if (!p.products.empty()) {
    fmt::print("products bought: {}{}\n", p.products.size(),
               p.products.size() == static_cast<size_t>(engine::kProfileProducts)
                   ? " (the most sales first; all: tenure export order_lines)"
                   : "");
    TextTable table({{"product", false, 14},
                     {"name", false, 36},
                     {"category", false, 16},
                     {"quantity", true},
                     {"sales", true},
                     {"returned", true},
                     {"orders", true},
                     {"last order"}});
    for (const store::ProductSalesRow& r : p.products) {
      table.AddRow({r.key, r.name, r.category, FormatDecimal(r.quantity),
                    FormatMoney(r.amount, config.currency_decimals),
                    FormatMoney(r.returned, config.currency_decimals), std::to_string(r.orders),
                    r.last_order_date.empty() ? "-" : r.last_order_date});
    }
    table.Print(stdout, "  ");
  }
}

// The options of `customer list` and `customer find`: one per filter of GET
// /customers, named as its parameter (owner_id, min_cumulative_sales) with
// hyphens for the underscores as well, and --owner and --team by name.
struct ListArgs {
  std::string db = "tenure.db";
  std::string search;  // find's TEXT
  std::string user;
  std::string owner;
  std::string team;
  std::string sort = "id";
  std::string after;
  int limit = 50;
  bool json = false;
  // (API parameter, the option's value, the option); a deque keeps each
  // value where CLI11 stores it.
  struct Filter {
    std::string param;
    std::string value;
    CLI::Option* option = nullptr;
  };
  std::deque<Filter> filters;
};

// "--lead-stage,--lead_stage" for "lead_stage"; "--city" for "city".
std::string OptionNames(std::string_view param) {
  std::string hyphens(param);
  std::ranges::replace(hyphens, '_', '-');
  return hyphens == param ? "--" + hyphens : "--" + hyphens + ",--" + std::string(param);
}

void AddListOptions(CLI::App* cmd, ListArgs& a) {
  for (std::string_view dimension : store::CustomerDimensions()) {
    ListArgs::Filter& f = a.filters.emplace_back();
    f.param = std::string(dimension);
    std::string help = "Only customers whose " + f.param + " is this";
    auto one_of = [&](std::span<const std::string_view> names) {
      std::string list;
      for (std::string_view name : names) list += (list.empty() ? "" : ", ") + std::string(name);
      help += " (" + list + ")";
    };
    if (dimension == "status") one_of(domain::kCustomerStatusNames);
    if (dimension == "lead_stage") one_of(domain::kLeadStageNames);
    if (dimension == "credit_rating") one_of(domain::kCreditRatingNames);
    if (dimension == "owner_id" || dimension == "team_id") help += " (an internal id)";
    f.option = cmd->add_option(OptionNames(dimension), f.value, help)->group("Filters");
  }
  CLI::Option* owner_id = nullptr;
  CLI::Option* team_id = nullptr;
  for (ListArgs::Filter& f : a.filters) {
    if (f.param == "owner_id") owner_id = f.option;
    if (f.param == "team_id") team_id = f.option;
  }
  cmd->add_option("--owner", a.owner, "Only the customers this user (username) owns")
      ->group("Filters")
      ->excludes(owner_id);
  cmd->add_option("--team", a.team, "Only the customers of this team (its name)")
      ->group("Filters")
      ->excludes(team_id);
  for (std::string_view metric : store::CustomerMetrics()) {
    for (std::string_view bound : {"min", "max"}) {
      ListArgs::Filter& f = a.filters.emplace_back();
      f.param = std::string(bound) + "_" + std::string(metric);
      f.option = cmd->add_option(OptionNames(f.param), f.value,
                                 std::string(bound == "min" ? "Lowest " : "Highest ") +
                                     std::string(metric) + " (inclusive)")
                     ->group("Ranges (metrics and scores)");
    }
  }
  cmd->add_option("--sort", a.sort,
                  "id, name, created_at, updated_at, a metric or a score; '-' first for "
                  "descending (--sort=-cumulative_sales)")
      ->capture_default_str();
  cmd->add_option("--limit", a.limit, "Rows on the page, 1-1000")->capture_default_str();
  cmd->add_option("--after", a.after, "The next page: the cursor the previous page printed");
  cmd->add_option("--user", a.user, "Only what this user sees (by role); default: everyone");
  cmd->add_flag("--json", a.json, "Print JSON (as GET /api/v1/customers)");
  cmd->add_option("--db", a.db, "Database file")->capture_default_str();
}

std::string Fixed(const std::optional<double>& v, int decimals) {
  return v ? fmt::format("{:.{}f}", *v, decimals) : "-";
}

// The columns every list shows, and the sort column when it is another.
void PrintList(const store::CustomerListPage& page, const std::string& sort, int decimals) {
  using Row = store::CustomerListRow;
  auto money = [decimals](Money m) { return FormatMoney(m, decimals); };
  auto or_dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
  struct Extra {
    std::string_view column;
    bool right;
    std::function<std::string(const Row&)> cell;
  };
  const Extra extras[] = {
      {"first_order_date", false, [&](const Row& r) { return or_dash(r.first_order_date); }},
      {"next_purchase_date", false, [&](const Row& r) { return or_dash(r.next_purchase_date); }},
      {"gross_profit", true, [&](const Row& r) { return money(r.gross_profit); }},
      {"receivables", true, [&](const Row& r) { return money(r.receivables); }},
      {"avg_purchase_cycle_days", true,
       [](const Row& r) { return Fixed(r.avg_purchase_cycle_days, 1); }},
      {"last_contact_at", false,
       [](const Row& r) {
         return r.last_contact_at ? FormatTimestamp(*r.last_contact_at) : std::string("-");
       }},
      {"clv", true, [&](const Row& r) { return r.clv ? money(*r.clv) : std::string("-"); }},
      {"model_next_purchase_date", false,
       [&](const Row& r) { return or_dash(r.model_next_purchase_date); }},
      {"risk_probability", true, [](const Row& r) { return Fixed(r.risk_probability, 3); }},
      {"value_at_risk", true,
       [&](const Row& r) { return r.value_at_risk ? money(*r.value_at_risk) : std::string("-"); }},
      {"health", true,
       [](const Row& r) { return r.health ? std::to_string(*r.health) : std::string("-"); }},
      {"created_at", false, [](const Row& r) { return FormatTimestamp(r.created_at); }},
      {"updated_at", false, [](const Row& r) { return FormatTimestamp(r.updated_at); }},
  };
  std::string_view sorted = sort;  // a view of `sort`, not of a copy that would die here
  if (!sorted.empty() && sorted[0] == '-') sorted.remove_prefix(1);
  const Extra* extra = nullptr;
  for (const Extra& e : extras) {
    if (e.column == sorted) extra = &e;
  }
  std::vector<TextColumn> columns = {
      {"id"},          {"name", false, 32}, {"status"},           {"owner", false, 14},
      {"city"},        {"phone"},           {"email", false, 28}, {"orders", true},
      {"sales", true}, {"last order"},      {"p_alive", true}};
  if (extra) columns.push_back({std::string(extra->column), extra->right});
  TextTable table(std::move(columns));
  for (const Row& r : page.rows) {
    std::vector<std::string> cells = {
        r.external_id.empty() ? std::to_string(r.id) : r.external_id,
        r.name,
        std::string(domain::NameOf(domain::kCustomerStatusNames,
                                   static_cast<domain::CustomerStatus>(r.status))),
        or_dash(r.owner),
        or_dash(r.city),
        or_dash(r.phone),
        or_dash(r.email),
        GroupThousands(r.order_count),
        money(r.cumulative_sales),
        or_dash(r.last_order_date),
        Fixed(r.p_alive, 3)};
    if (extra) cells.push_back(extra->cell(r));
    table.AddRow(std::move(cells));
  }
  table.Print();
  const std::string count =
      page.rows.size() == 1 ? "1 customer"
                            : GroupThousands(static_cast<int64_t>(page.rows.size())) + " customers";
  if (page.next_cursor.empty()) {
    fmt::print("{}\n", count);
  } else {
    fmt::print("{}; the next page: --after {}\n", count, page.next_cursor);
  }
}

int RunList(const ListArgs& a, const app::Config& config) {
  std::vector<engine::ListParam> params;
  if (!a.search.empty()) params.emplace_back("q", a.search);
  for (const ListArgs::Filter& f : a.filters) {
    if (f.option->count() > 0) params.emplace_back(f.param, f.value);
  }
  params.emplace_back("sort", a.sort);
  if (!a.after.empty()) params.emplace_back("after", a.after);
  if (a.limit < 1 || a.limit > 1000) {
    return Fail(
        Status::InvalidArgument("expected 1-1000, not " + std::to_string(a.limit), "--limit"));
  }
  auto query = engine::CustomerListQueryOf(params, config.currency_decimals);
  // The API's parameter is the option: --lead_stage, --min_order_count.
  if (!query.ok()) {
    const Status& s = query.status();
    return Fail(Status::InvalidArgument(s.message(), "--" + s.field()));
  }
  query->limit = a.limit;

  auto db = OpenExisting(a.db);
  if (!db.ok()) return Fail(db.status());
  if (!a.owner.empty()) {
    auto id = engine::UserIdOf(**db, a.owner, "--owner");
    if (!id.ok()) return Fail(id.status());
    query->equals.emplace_back("owner_id", std::to_string(*id));
  }
  if (!a.team.empty()) {
    auto id = engine::TeamIdOf(**db, a.team, "--team");
    if (!id.ok()) return Fail(id.status());
    query->equals.emplace_back("team_id", std::to_string(*id));
  }
  Result<engine::Scope> scope = engine::EveryCustomer();
  if (!a.user.empty()) scope = engine::ScopeOfUser(**db, a.user);
  if (!scope.ok()) return Fail(scope.status());
  auto page = store::ListCustomers(**db, scope->customers, *query);
  if (!page.ok()) {
    const Status& s = page.status();
    if (s.code() != Status::Code::kInvalidArgument) return Fail(s);
    return Fail(Status::InvalidArgument(s.message(), "--" + s.field()));
  }
  if (a.json) {
    fmt::print("{}\n", api::JsonText(api::CustomerPageJson(*page, config.currency_decimals), 2));
  } else {
    PrintList(*page, a.sort, config.currency_decimals);
  }
  return kExitOk;
}

}  // namespace

void AddCustomerCommand(CLI::App& app, Registry& registry) {
  CLI::App* customer = app.add_subcommand("customer", "Find customers, look at one");
  customer->require_subcommand(1);

  auto list_args = std::make_shared<ListArgs>();
  CLI::App* list = customer->add_subcommand(
      "list", "A page of customers: filtered and sorted as GET /api/v1/customers");
  AddListOptions(list, *list_args);
  registry.emplace_back(
      list, [list_args](const app::Config& config) { return RunList(*list_args, config); });

  auto find_args = std::make_shared<ListArgs>();
  CLI::App* find = customer->add_subcommand(
      "find",
      "Customers whose name, phone or e-mail, or a contact's name, phone, mobile or e-mail, "
      "contains TEXT");
  find->add_option("TEXT", find_args->search, "The text searched (case-insensitive)")->required();
  AddListOptions(find, *find_args);
  registry.emplace_back(
      find, [find_args](const app::Config& config) { return RunList(*find_args, config); });

  struct Args {
    std::string db = "tenure.db";
    std::string key;
    std::string as_of;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* show = customer->add_subcommand("show", "The whole profile of a customer");
  show->add_option("ID", args->key, "The customer's external id (or internal id)")->required();
  show->add_option("--as-of", args->as_of,
                   "Date the aging metrics are computed for (default: today)");
  show->add_flag("--json", args->json, "Print JSON");
  show->add_option("--db", args->db, "Database file")->capture_default_str();
  registry.emplace_back(show, [args](const app::Config& config) {
    Date as_of = TodayUtc();
    if (!args->as_of.empty()) {
      auto parsed = ParseIsoDate(args->as_of);
      if (!parsed) {
        return Fail(Status::InvalidArgument(
            "not a date '" + args->as_of + "' (expected YYYY-MM-DD)", "--as-of"));
      }
      as_of = *parsed;
    }
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    if (args->as_of.empty()) WarnIfHistoryIsOld(**db, args->db);
    auto profile = engine::LoadCustomerProfile(**db, args->key, as_of);
    if (!profile.ok()) return Fail(profile.status());
    if (args->json) {
      fmt::print("{}\n", api::JsonText(ProfileJson(*profile, config.currency_decimals), 2));
    } else {
      PrintProfile(*profile, UserNames(**db), config);
    }
    return kExitOk;
  });
}

}  // namespace tenure::cli
