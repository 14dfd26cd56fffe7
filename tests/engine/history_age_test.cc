// engine::CheckHistoryAge: how far before a day the newest order lies, and
// when that counts as an old history (more than kOldHistoryDays).
#include "engine/history_age.h"

#include <gtest/gtest.h>

#include "import_fixture.h"

namespace tenure::engine {
namespace {

class HistoryAgeTest : public ImportFixture {
 protected:
  Result<std::optional<OldHistory>> Check(const char* today) {
    return CheckHistoryAge(*db_, *ParseIsoDate(today));
  }
};

TEST_F(HistoryAgeTest, NoOrdersIsNoOldHistory) {
  ImportClean("customers", "customer_id,name\nC1,Acme\n");
  auto none = Check("2026-12-05");
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value());
}

TEST_F(HistoryAgeTest, TheNewestOrderThatCountsAndItsDistance) {
  ImportClean("customers", "customer_id,name\nC1,Acme\nC2,Bolt\n");
  // The cancelled order is the latest, but not a purchase.
  ImportClean("orders",
              "order_id,customer_id,date,amount,status\n"
              "O1,C1,2011-12-09,10.00,completed\nO2,C2,2011-11-30,5.00,completed\n"
              "O3,C2,2012-03-01,7.00,cancelled\n");
  auto old = Check("2026-12-05");
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  ASSERT_TRUE(old->has_value());
  EXPECT_EQ(FormatDate((*old)->newest_order), "2011-12-09");
  EXPECT_EQ((*old)->days_before, 5475);

  // 180 days is still recent; the day after is old.
  ASSERT_EQ(kOldHistoryDays, 180);
  auto recent = Check("2012-06-06");
  ASSERT_TRUE(recent.ok());
  EXPECT_FALSE(recent->has_value());
  auto just_old = Check("2012-06-07");
  ASSERT_TRUE(just_old.ok());
  ASSERT_TRUE(just_old->has_value());
  EXPECT_EQ((*just_old)->days_before, 181);
  // A history that ends after the day asked about is not old either.
  auto before = Check("2011-01-01");
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->has_value());
}

}  // namespace
}  // namespace tenure::engine
