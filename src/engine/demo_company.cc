// The demo company's staff: teams with a manager each, salespeople holding
// books of customers (some leave and hand their book to a successor), service
// agents, and one login per role.
#include <algorithm>
#include <string>

#include "domain/enums.h"
#include "engine/demo_model.h"

namespace tenure::engine::demo {
namespace {

using domain::Entity;
using domain::Row;
using domain::UserRole;

constexpr std::string_view kGivenNames[] = {
    "Wei",  "Fang", "Min",  "Jing", "Lei",  "Yan",  "Jun",  "Hui",  "Qiang", "Ying",
    "Tao",  "Xin",  "Hao",  "Li",   "Ming", "Na",   "Jie",  "Lan",  "Peng",  "Rui",
    "Bo",   "Chen", "Dan",  "Feng", "Gang", "Hong", "Jian", "Kai",  "Lin",   "Mei",
    "Ning", "Ping", "Qing", "Shan", "Ting", "Wen",  "Xia",  "Yong", "Yu",    "Zhen",
};
constexpr std::string_view kFamilyNames[] = {
    "Wang",  "Li",    "Zhang", "Liu",  "Chen", "Yang", "Huang", "Zhao", "Wu",  "Zhou",
    "Xu",    "Sun",   "Ma",    "Zhu",  "Hu",   "Guo",  "He",    "Lin",  "Gao", "Luo",
    "Zheng", "Liang", "Xie",   "Song", "Tang", "Han",  "Feng",  "Deng", "Cao", "Peng",
};
constexpr std::string_view kRegions[] = {
    "North", "South", "East", "West", "Central", "Northeast", "Northwest", "Southwest", "Southeast",
};

// How many customers one salesperson looks after, and how many salespeople
// make a team.
constexpr int64_t kCustomersPerSalesperson = 250;
constexpr int64_t kSlotsPerTeam = 8;
constexpr int64_t kCustomersPerAgent = 2500;

// The field names, in order, that demo_model.h's layouts assume.
struct Layout {
  Entity entity;
  std::string_view fields;  // comma-separated
};
const Layout kLayouts[] = {
    {Entity::kTeam, "name,manager_id"},
    {Entity::kUser, "username,full_name,email,role,team_id,active,hired_on,left_on"},
    {Entity::kCustomer,
     "name,type,industry,level,source,province,city,address,phone,email,website,status,lead_stage,"
     "owner_id,team_id,credit_limit,credit_rating,acquired_on,notes"},
    {Entity::kContact, "customer_id,name,title,phone,mobile,email,is_primary,birthday,notes"},
    {Entity::kActivity,
     "customer_id,contact_id,user_id,kind,occurred_at,outcome,notes,follow_up_on,follow_up_done"},
    {Entity::kOpportunity,
     "customer_id,owner_id,name,stage,amount,opened_on,expected_close_on,closed_on,lost_reason"},
    {Entity::kQuotation,
     "customer_id,opportunity_id,user_id,quoted_on,amount,valid_until,status,notes"},
    {Entity::kContract,
     "customer_id,user_id,signed_on,start_date,end_date,value,status,cancelled_on,renewal_of"},
    {Entity::kOrder, "customer_id,user_id,contract_id,order_date,amount,cost,quantity,status"},
    {Entity::kInvoice,
     "customer_id,order_id,contract_id,issued_on,due_on,amount,paid_amount,paid_on"},
    {Entity::kExpense, "customer_id,user_id,spent_on,amount,category,notes"},
    {Entity::kComplaint,
     "customer_id,contact_id,kind,category,severity,status,assignee_id,opened_at,resolved_at,"
     "satisfaction,description,resolution"},
    {Entity::kChurnEvent,
     "customer_id,kind,occurred_on,churn_type,reasons,competitor,recorded_by,notes"},
    {Entity::kOwnershipChange, "customer_id,from_user_id,to_user_id,changed_at,reason"},
};

// Builds the rows of the users and teams and the books of customers.
class StaffBuilder {
 public:
  StaffBuilder(Company& company, Rng& rng) : c_(company), rng_(rng) {
    c_.attentiveness.push_back(0);  // ids start at 1
    c_.agent_speed.push_back(0);
  }

  // Adds a user and returns its id. An empty username makes one up.
  int64_t AddUser(UserRole role, int64_t team, Date hired, std::optional<Date> left,
                  std::string username = {}) {
    int64_t id = static_cast<int64_t>(c_.users.size()) + 1;
    std::string_view given = GivenName(rng_);
    std::string_view family = FamilyName(rng_);
    if (username.empty()) username = Lower(given) + "." + Lower(family) + std::to_string(id);
    Row& row = c_.users.emplace_back(domain::SpecOf(Entity::kUser).fields.size());
    SetText(row[user_col::kUsername], username);
    SetText(row[user_col::kFullName], std::string(given) + " " + std::string(family));
    SetText(row[user_col::kEmail], username + "@tenure-demo.example");
    row[user_col::kRole] = static_cast<int64_t>(role);
    if (team > 0) row[user_col::kTeam] = team;
    row[user_col::kActive] = int64_t{left ? 0 : 1};
    SetDate(row[user_col::kHiredOn], hired);
    if (left) SetDate(row[user_col::kLeftOn], *left);
    // Beta(5, 2) spread over 0.3..1.2: most salespeople keep in touch, a few
    // neglect their customers (who then leave for "no contact").
    c_.attentiveness.push_back(0.3 + 0.9 * rng_.Beta(5, 2));
    c_.agent_speed.push_back(rng_.LogNormal(1.0, 0.35));
    return id;
  }

  Date HiredBefore(Date day, int min_days, int max_days) {
    return Date{day.days - static_cast<int32_t>(rng_.Int(min_days, max_days))};
  }

 private:
  Company& c_;
  Rng& rng_;
};

}  // namespace

std::string_view GivenName(Rng& rng) { return rng.OneOf(kGivenNames); }
std::string_view FamilyName(Rng& rng) { return rng.OneOf(kFamilyNames); }

Status CheckLayouts() {
  for (const Layout& layout : kLayouts) {
    const domain::EntitySpec& spec = domain::SpecOf(layout.entity);
    size_t i = 0;
    for (size_t start = 0; start < layout.fields.size(); ++i) {
      size_t end = std::min(layout.fields.find(',', start), layout.fields.size());
      std::string_view name = layout.fields.substr(start, end - start);
      if (i >= spec.fields.size() || spec.fields[i].name != name) {
        return Status::Internal("demo: field " + std::to_string(i) + " of " +
                                std::string(spec.name) + " is not '" + std::string(name) + "'");
      }
      start = end + 1;
    }
    if (i != spec.fields.size()) {
      return Status::Internal("demo: " + std::string(spec.name) + " has fields the demo lacks");
    }
  }
  return Status::Ok();
}

domain::Entity EntityOf(Table table) {
  static constexpr Entity kEntities[kTableCount] = {
      Entity::kCustomer, Entity::kContact,     Entity::kContract,   Entity::kOrder,
      Entity::kInvoice,  Entity::kOpportunity, Entity::kQuotation,  Entity::kActivity,
      Entity::kExpense,  Entity::kComplaint,   Entity::kChurnEvent, Entity::kOwnershipChange,
  };
  return kEntities[static_cast<size_t>(table)];
}

void Chunk::Clear() {
  for (size_t t = 0; t < kTableCount; ++t) {
    tables[t].size = 0;
    tables[t].width = domain::SpecOf(EntityOf(static_cast<Table>(t))).fields.size();
  }
  first_customer = 0;
  customers = 0;
  reason_links = 0;
  metrics.clear();
  record_tables.clear();
  stamps.clear();
}

Company BuildCompany(uint64_t seed, int64_t customers, Date as_of) {
  Company c;
  c.seed = seed;
  c.as_of = as_of;
  c.start = AddMonths(as_of, -36);
  c.now = StartOf(as_of) + 18 * 3600;
  Rng rng(seed, 0);  // stream 0 is the company's; customer i uses stream i + 1
  StaffBuilder staff(c, rng);
  const int period = as_of.days - c.start.days;

  int64_t salespeople =
      std::max<int64_t>(6, (customers + kCustomersPerSalesperson - 1) / kCustomersPerSalesperson);
  int64_t team_count = (salespeople + kSlotsPerTeam - 1) / kSlotsPerTeam;
  int64_t agents = std::max<int64_t>(3, customers / kCustomersPerAgent);

  // Users first (the teams refer to their managers), then the teams, whose ids
  // are known in advance: 1..team_count.
  staff.AddUser(UserRole::kAdmin, 0, staff.HiredBefore(c.start, 400, 2000), std::nullopt, "admin");
  std::vector<int64_t> managers;
  for (int64_t t = 0; t < team_count; ++t) {
    managers.push_back(staff.AddUser(UserRole::kManager, t + 1,
                                     staff.HiredBefore(c.start, 365, 3650), std::nullopt,
                                     t == 0 ? "manager" : ""));
  }
  // Book j belongs to team j % team_count. Every fifth book changes hands
  // during the period (book 0, the `sales` login's, never does), and a tenth
  // of the successors leave again.
  for (int64_t j = 0; j < salespeople; ++j) {
    Slot& slot = c.slots.emplace_back();
    slot.team = j % team_count + 1;
    bool leaves = j % 5 == 2;
    std::optional<Date> left;
    if (leaves) left = Date{c.start.days + static_cast<int32_t>(rng.Int(60, period - 20))};
    int64_t first = staff.AddUser(UserRole::kSales, slot.team, staff.HiredBefore(c.start, 30, 3000),
                                  left, j == 0 ? "sales" : "");
    slot.holders.push_back({first, Date{INT32_MIN}});
    while (left) {
      Date from = *left;
      left.reset();
      int remaining = as_of.days - from.days;
      if (remaining > 120 && rng.Chance(0.1)) {
        left = Date{from.days + static_cast<int32_t>(rng.Int(90, remaining - 10))};
      }
      int64_t next =
          staff.AddUser(UserRole::kSales, slot.team, staff.HiredBefore(from, 0, 14), left);
      slot.holders.push_back({next, from});
    }
  }
  for (int64_t a = 0; a < agents; ++a) {
    c.service_agents.push_back(staff.AddUser(UserRole::kService, 0,
                                             staff.HiredBefore(c.start, 30, 2500), std::nullopt,
                                             a == 0 ? "service" : ""));
  }
  for (int64_t t = 0; t < team_count; ++t) {
    Row& row = c.teams.emplace_back(2);
    std::string name = "Sales " + std::string(kRegions[t % std::size(kRegions)]);
    if (t >= static_cast<int64_t>(std::size(kRegions))) {
      name += " " + std::to_string(t / std::size(kRegions) + 1);
    }
    SetText(row[team_col::kName], name);
    row[team_col::kManager] = managers[static_cast<size_t>(t)];
  }
  return c;
}

}  // namespace tenure::engine::demo
