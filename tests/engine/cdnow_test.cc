// The CDNOW master log (Fader & Hardie): 23,570 customers and 69,659 orders,
// and importing it again changes nothing.
#include <gtest/gtest.h>

#include "engine/import_fixture.h"
#include "testing/paths.h"

namespace tenure::engine {
namespace {

TEST_F(ImportFixture, CdnowMasterGivesThePublishedCounts) {
  ImportOptions options;
  options.path = std::string(TENURE_TEST_DATA) + "/cdnow_master.csv";
  options.spec = domain::FindEntity("orders");
  options.create_customers = true;
  options.rejects_path = dir_.File("cdnow.rejects.csv");
  auto first = ImportCsv(*db_, options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->rows, 69659);
  EXPECT_EQ(first->rejected, 0);
  EXPECT_EQ(first->inserted, 69659);
  EXPECT_EQ(first->customers_created, 23570);
  EXPECT_EQ(Count("SELECT count(*) FROM customers"), 23570);
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), 69659);
  EXPECT_EQ(Count("SELECT count(*) FROM orders WHERE amount = 0"), 80);
  EXPECT_EQ(Count("SELECT sum(amount) FROM orders"), 250031563);  // $2,500,315.63

  std::string before =
      Text("SELECT group_concat(id || external_id || amount || version) FROM orders");
  auto second = ImportCsv(*db_, options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->inserted, 0);
  EXPECT_EQ(second->updated, 0);
  EXPECT_EQ(second->unchanged, 69659);
  EXPECT_EQ(second->customers_created, 0);
  EXPECT_EQ(Count("SELECT count(*) FROM customers"), 23570);
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), 69659);
  EXPECT_EQ(Text("SELECT group_concat(id || external_id || amount || version) FROM orders"),
            before);
}

}  // namespace
}  // namespace tenure::engine
