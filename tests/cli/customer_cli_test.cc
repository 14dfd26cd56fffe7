// `tenure customer list`, `customer find` and `customer show` as a user runs
// them: the API's filters under its parameter names, sorts and pages, a
// search that finds a customer by a contact's phone, the table's header row,
// JSON as GET /customers gives it, the errors that name the option, and the
// profile's contacts and latest activities.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "testing/run_tenure.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using nlohmann::json;
using testing::Cells;
using testing::Lines;
using testing::Outcome;
using testing::TempDir;
using testing::Tenure;

class CustomerCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Import("teams", "name\nNorth\nSouth\n");
    Import("users", "username,role,team\nalice,sales,North\nbob,sales,South\n");
    Import("customers",
           "customer_id,name,city,phone,email,owner,team,status,level\n"
           "C1,Acme,Berlin,030-1111,info@acme.example,alice,North,active,A\n"
           "C2,Bolt,Hamburg,040-2222,hello@bolt.example,bob,South,active,B\n"
           "C3,Cask,Berlin,,,alice,North,lead,A\n"
           "C4,Dune,Munich,089-4444,,bob,South,prospect,C\n");
    Import("contacts",
           "contact_id,customer_id,name,title,phone,mobile,email,is_primary\n"
           "K1,C1,Anna Berg,Buyer,030-1112,0170-555,anna@acme.example,true\n"
           "K2,C2,Ben Ritter,CEO,,0171-987654,ben@bolt.example,false\n"
           "K3,C2,Zora Kahn,Accounts,040-2299,,,true\n");
    Import("orders",
           "order_id,customer_id,date,amount\n"
           "O1,C1,2026-01-05,100.00\nO2,C1,2026-02-05,50.00\n"
           "O3,C2,2026-01-10,300.00\nO4,C3,2026-03-01,20.00\n");
  }
  void Import(const std::string& entity, const std::string& csv) {
    Outcome r = Tenure("import " + entity + " " + dir_.Write(entity + ".csv", csv) + Db());
    ASSERT_EQ(r.code, 0) << r.output;
  }
  std::string Db() { return " --db " + dir_.File("t.db"); }

  // The first cell (the id) of every row of `customer ARGS`'s table, after
  // checking its header row and its count line.
  std::vector<std::string> Ids(const std::string& args) {
    Outcome run = Tenure("customer " + args + Db());
    EXPECT_EQ(run.code, 0) << args << "\n" << run.output;
    std::vector<std::string> lines = Lines(run.output);
    std::vector<std::string> ids;
    if (lines.size() < 2) {
      ADD_FAILURE() << args << ": no table\n" << run.output;
      return ids;
    }
    std::vector<std::string> header = Cells(lines[0]);
    EXPECT_GE(header.size(), 11u) << lines[0];
    EXPECT_EQ(std::vector<std::string>(header.begin(), header.begin() + 11),
              (std::vector<std::string>{"id", "name", "status", "owner", "city", "phone", "email",
                                        "orders", "sales", "last order", "p_alive"}))
        << lines[0];
    for (size_t i = 1; i + 1 < lines.size(); ++i) {
      std::vector<std::string> cells = Cells(lines[i]);
      EXPECT_EQ(cells.size(), header.size()) << lines[i];
      if (!cells.empty()) ids.push_back(cells[0]);
    }
    EXPECT_TRUE(std::regex_match(lines.back(), std::regex("[0-9]+ customers?(; .*)?")))
        << lines.back();
    return ids;
  }

  TempDir dir_;
};

using IdList = std::vector<std::string>;

TEST_F(CustomerCliTest, ListsEveryCustomerWithAHeaderRow) {
  Outcome run = Tenure("customer list" + Db());
  ASSERT_EQ(run.code, 0) << run.output;
  std::vector<std::string> lines = Lines(run.output);
  ASSERT_EQ(lines.size(), 6u) << run.output;  // header, four customers, the count
  EXPECT_EQ(Cells(lines[1]),
            (std::vector<std::string>{"C1", "Acme", "active", "alice", "Berlin", "030-1111",
                                      "info@acme.example", "2", "150.00", "2026-02-05", "-"}));
  EXPECT_EQ(Cells(lines[3])[2], "lead");
  EXPECT_EQ(Cells(lines[4])[6], "-");  // Dune has no e-mail
  EXPECT_EQ(lines[5], "4 customers");
  EXPECT_EQ(Ids("list"), (IdList{"C1", "C2", "C3", "C4"}));
}

TEST_F(CustomerCliTest, FiltersAsTheApiNamesThem) {
  EXPECT_EQ(Ids("list --city Berlin"), (IdList{"C1", "C3"}));
  EXPECT_EQ(Ids("list --status active"), (IdList{"C1", "C2"}));
  EXPECT_EQ(Ids("list --level A --status lead"), (IdList{"C3"}));
  // The API's parameter name and its hyphenated form are the same option.
  EXPECT_EQ(Ids("list --min_cumulative_sales 100"), (IdList{"C1", "C2"}));
  EXPECT_EQ(Ids("list --min-cumulative-sales 100 --max-cumulative-sales 200"), (IdList{"C1"}));
  EXPECT_EQ(Ids("list --min-order-count 1 --max_last_order_date 2026-01-31"), (IdList{"C2"}));
  EXPECT_EQ(Ids("list --owner alice"), (IdList{"C1", "C3"}));
  EXPECT_EQ(Ids("list --team South"), (IdList{"C2", "C4"}));
  EXPECT_EQ(Ids("list --user bob"), (IdList{"C2", "C4"}));  // what bob sees
  EXPECT_EQ(Ids("list --user bob --city Berlin"), (IdList{}));
}

TEST_F(CustomerCliTest, SortsAndPages) {
  EXPECT_EQ(Ids("list --sort=-cumulative_sales --min-order-count 1"), (IdList{"C2", "C1", "C3"}));
  EXPECT_EQ(Ids("list --sort name"), (IdList{"C1", "C2", "C3", "C4"}));
  EXPECT_EQ(Ids("list --sort=-name"), (IdList{"C4", "C3", "C2", "C1"}));
  // A sort column the table does not show is added at its end.
  Outcome by_receivables = Tenure("customer list --sort receivables" + Db());
  ASSERT_EQ(by_receivables.code, 0) << by_receivables.output;
  EXPECT_EQ(Cells(Lines(by_receivables.output)[0]).back(), "receivables");

  Outcome first = Tenure("customer list --sort name --limit 3" + Db());
  ASSERT_EQ(first.code, 0) << first.output;
  std::smatch next;
  ASSERT_TRUE(std::regex_search(first.output, next,
                                std::regex("3 customers; the next page: --after (\\S+)")))
      << first.output;
  EXPECT_EQ(Ids("list --sort name --limit 3 --after " + next[1].str()), (IdList{"C4"}));
}

TEST_F(CustomerCliTest, JsonIsTheApiPage) {
  json page = testing::TenureJson("customer list --level A --sort=-name --json" + Db());
  ASSERT_EQ(page["items"].size(), 2u) << page;
  EXPECT_TRUE(page["next_cursor"].is_null());
  const json& cask = page["items"][0];
  EXPECT_EQ(cask["external_id"], "C3");
  EXPECT_EQ(cask["name"], "Cask");
  EXPECT_EQ(cask["status"], "lead");
  EXPECT_EQ(cask["owner"], "alice");
  EXPECT_EQ(cask["order_count"], 1);
  EXPECT_DOUBLE_EQ(cask["cumulative_sales"].get<double>(), 20.0);
  EXPECT_TRUE(cask["p_alive"].is_null());
  EXPECT_EQ(page["items"][1]["name"], "Acme");
  json paged = testing::TenureJson("customer list --limit 1 --json" + Db());
  EXPECT_EQ(paged["items"].size(), 1u);
  EXPECT_TRUE(paged["next_cursor"].is_string());
}

TEST_F(CustomerCliTest, FindsByAContactsPhoneNameOrEmail) {
  EXPECT_EQ(Ids("find 0171-987"), (IdList{"C2"}));   // a contact's mobile
  EXPECT_EQ(Ids("find 2299"), (IdList{"C2"}));       // a contact's phone
  EXPECT_EQ(Ids("find anna@acme"), (IdList{"C1"}));  // a contact's e-mail
  EXPECT_EQ(Ids("find ritter"), (IdList{"C2"}));     // a contact's name, any case
  EXPECT_EQ(Ids("find 030-111"), (IdList{"C1"}));    // the customer's phone and a contact's
  EXPECT_EQ(Ids("find .example"), (IdList{"C1", "C2"}));
  EXPECT_EQ(Ids("find .example --owner bob"), (IdList{"C2"}));
  Outcome none = Tenure("customer find nobody" + Db());
  ASSERT_EQ(none.code, 0) << none.output;
  EXPECT_EQ(Lines(none.output).size(), 2u) << none.output;  // the header and the count
  EXPECT_EQ(Lines(none.output).back(), "0 customers");
  json found = testing::TenureJson("customer find 0171 --json" + Db());
  ASSERT_EQ(found["items"].size(), 1u);
  EXPECT_EQ(found["items"][0]["name"], "Bolt");
}

TEST_F(CustomerCliTest, ShowPrintsTheContactsAndTheLatestActivities) {
  std::string activities = "activity_id,customer_id,user,kind,occurred_at,outcome,notes\n";
  for (int day = 1; day <= 12; ++day) {
    std::string n = std::to_string(day);
    activities += "A" + n + ",C2,bob,call,2026-01-" + (day < 10 ? "0" : "") + n +
                  " 09:30,effective,call " + n + "\n";
  }
  activities +=
      "A13,C2,alice,visit,2026-01-13 15:00,,\"Met Zora about the invoice run;\nshe wants "
      "the statements monthly from now on, by e-mail\"\n";
  Import("activities", activities);
  Outcome show = Tenure("customer show C2 --as-of 2026-06-30" + Db());
  ASSERT_EQ(show.code, 0) << show.output;
  std::vector<std::string> lines = Lines(show.output);
  auto at = std::find(lines.begin(), lines.end(), "contacts: 2");
  ASSERT_NE(at, lines.end()) << show.output;
  ASSERT_GT(lines.end() - at, 3) << show.output;
  EXPECT_EQ(Cells(at[1]), (IdList{"name", "title", "phone", "mobile", "email", "primary"}));
  EXPECT_EQ(Cells(at[2]),
            (IdList{"Ben Ritter", "CEO", "-", "0171-987654", "ben@bolt.example", "no"}));
  EXPECT_EQ(Cells(at[3]), (IdList{"Zora Kahn", "Accounts", "040-2299", "-", "-", "yes"}));

  at = std::find(lines.begin(), lines.end(),
                 "activities: 13 (the latest 10; all: tenure team history --customer C2)");
  ASSERT_NE(at, lines.end()) << show.output;
  ASSERT_GT(lines.end() - at, 12) << show.output;
  EXPECT_EQ(Cells(at[1]), (IdList{"date", "kind", "user", "outcome", "notes"}));
  // Newest first, the notes on one line and cut.
  EXPECT_EQ(Cells(at[2]), (IdList{"2026-01-13 15:00", "visit", "alice", "-",
                                  "Met Zora about the invoice run; she wants the statements mo…"}));
  EXPECT_EQ(Cells(at[3]), (IdList{"2026-01-12 09:30", "call", "bob", "effective", "call 12"}));
  EXPECT_EQ(Cells(at[11]), (IdList{"2026-01-04 09:30", "call", "bob", "effective", "call 4"}));
  EXPECT_EQ(at[12], "opportunities: 0");  // ten rows, then the next section

  // A customer without contacts or activities says so, without a table.
  Outcome bare = Tenure("customer show C4 --as-of 2026-06-30" + Db());
  ASSERT_EQ(bare.code, 0) << bare.output;
  EXPECT_NE(bare.output.find("contacts: 0\nactivities: 0\nopportunities: 0\n"), std::string::npos)
      << bare.output;
}

TEST_F(CustomerCliTest, ErrorsNameTheOption) {
  Outcome status = Tenure("customer list --status happy" + Db());
  EXPECT_EQ(status.code, 2) << status.output;
  EXPECT_NE(status.output.find("--status: unknown value 'happy'"), std::string::npos)
      << status.output;
  Outcome amount = Tenure("customer list --min-cumulative-sales lots" + Db());
  EXPECT_EQ(amount.code, 2) << amount.output;
  EXPECT_NE(amount.output.find("--min_cumulative_sales: not an amount 'lots'"), std::string::npos)
      << amount.output;
  Outcome sort = Tenure("customer list --sort shoe_size" + Db());
  EXPECT_EQ(sort.code, 2) << sort.output;
  EXPECT_NE(sort.output.find("--sort: cannot sort by 'shoe_size'"), std::string::npos)
      << sort.output;
  Outcome limit = Tenure("customer list --limit 0" + Db());
  EXPECT_EQ(limit.code, 2) << limit.output;
  EXPECT_NE(limit.output.find("--limit"), std::string::npos) << limit.output;
  Outcome cursor = Tenure("customer list --after nonsense" + Db());
  EXPECT_EQ(cursor.code, 2) << cursor.output;
  EXPECT_NE(cursor.output.find("--after"), std::string::npos) << cursor.output;
  Outcome owner = Tenure("customer list --owner ghost" + Db());
  EXPECT_EQ(owner.code, 1) << owner.output;
  EXPECT_NE(owner.output.find("no user 'ghost'"), std::string::npos) << owner.output;
  Outcome team = Tenure("customer list --team East" + Db());
  EXPECT_EQ(team.code, 1) << team.output;
  EXPECT_NE(team.output.find("no team 'East'"), std::string::npos) << team.output;
  EXPECT_EQ(Tenure("customer find" + Db()).code, 2);  // TEXT is required
}

}  // namespace
}  // namespace tenure
