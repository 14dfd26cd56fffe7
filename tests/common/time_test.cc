#include "common/time.h"

#include <gtest/gtest.h>

namespace tenure {
namespace {

TEST(DateTest, ParsesIsoAndCompactDates) {
  ASSERT_TRUE(ParseIsoDate("1997-01-01"));
  EXPECT_EQ(FormatDate(*ParseIsoDate("1997-01-01")), "1997-01-01");
  EXPECT_EQ(ParseIsoDate("19970101")->days, ParseIsoDate("1997-01-01")->days);
  EXPECT_EQ(ParseIsoDate("1970-01-01")->days, 0);
  EXPECT_EQ(ParseIsoDate("2000-03-01")->days - ParseIsoDate("2000-02-28")->days, 2);  // leap year
}

TEST(DateTest, RejectsImpossibleDays) {
  EXPECT_FALSE(ParseIsoDate("1997-02-29"));
  EXPECT_FALSE(ParseIsoDate("1997-13-01"));
  EXPECT_FALSE(ParseIsoDate("1997-1-1"));
  EXPECT_FALSE(ParseIsoDate("01/02/1997"));
  EXPECT_FALSE(ParseIsoDate(""));
}

TEST(DateTest, ParsesWithStrptimeFormat) {
  auto d = ParseDateWithFormat("31/12/1997", "%d/%m/%Y");
  ASSERT_TRUE(d);
  EXPECT_EQ(FormatDate(*d), "1997-12-31");
  EXPECT_FALSE(ParseDateWithFormat("31/02/1997", "%d/%m/%Y"));
  EXPECT_FALSE(ParseDateWithFormat("31/12/1997x", "%d/%m/%Y"));
}

TEST(DateTest, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(FormatDate(AddMonths(*ParseIsoDate("1997-01-31"), 1)), "1997-02-28");
  EXPECT_EQ(FormatDate(AddMonths(*ParseIsoDate("1997-11-15"), 3)), "1998-02-15");
}

TEST(TimestampTest, ParsesIsoForms) {
  EXPECT_EQ(FormatTimestamp(*ParseTimestamp("1997-01-01")), "1997-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(*ParseTimestamp("1997-01-01 09:30")), "1997-01-01T09:30:00Z");
  EXPECT_EQ(FormatTimestamp(*ParseTimestamp("1997-01-01T09:30:15Z")), "1997-01-01T09:30:15Z");
  EXPECT_EQ(FormatTimestamp(*ParseTimestamp("1997-01-01T09:30:15.250+02:00")),
            "1997-01-01T07:30:15Z");
  EXPECT_FALSE(ParseTimestamp("1997-01-01T25:00"));
  EXPECT_FALSE(ParseTimestamp("1997-01-01T09:30Q"));
}

}  // namespace
}  // namespace tenure
