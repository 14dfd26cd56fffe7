#include "common/numbers.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace tenure {
namespace {

TEST(MoneyTest, ParsesToMinorUnits) {
  std::string error;
  EXPECT_EQ(*ParseMoney("11.77", 2, &error), 1177);
  EXPECT_EQ(*ParseMoney("12", 2, &error), 1200);
  EXPECT_EQ(*ParseMoney("0.5", 2, &error), 50);
  EXPECT_EQ(*ParseMoney("-3.07", 2, &error), -307);
  EXPECT_EQ(*ParseMoney("1.500", 2, &error), 150);
  EXPECT_EQ(*ParseMoney(".25", 2, &error), 25);
  EXPECT_EQ(*ParseMoney("1234", 0, &error), 1234);
}

TEST(MoneyTest, RejectsWhatIsNotAnAmount) {
  std::string error;
  EXPECT_FALSE(ParseMoney("1.234", 2, &error));
  EXPECT_EQ(error, "more decimal places than the currency has");
  EXPECT_FALSE(ParseMoney("abc", 2, &error));
  EXPECT_FALSE(ParseMoney("1,000", 2, &error));
  EXPECT_FALSE(ParseMoney("1e3", 2, &error));
  EXPECT_FALSE(ParseMoney("", 2, &error));
  EXPECT_FALSE(ParseMoney(".", 2, &error));
  EXPECT_FALSE(ParseMoney("99999999999999999999", 2, &error));
  // The largest whole part that scales, with a fraction that no longer fits
  // (parse_fuzz found it: the sum overflowed).
  EXPECT_FALSE(ParseMoney("9223372036854775.89", 3, &error));
  EXPECT_EQ(error, "amount out of range");
  EXPECT_EQ(*ParseMoney("9223372036854775.807", 3, &error), INT64_MAX);
  EXPECT_EQ(*ParseMoney("-9223372036854775.807", 3, &error), -INT64_MAX);
}

TEST(MoneyTest, FormatsMinorUnits) {
  EXPECT_EQ(FormatMoney(1177, 2), "11.77");
  EXPECT_EQ(FormatMoney(-7, 2), "-0.07");
  EXPECT_EQ(FormatMoney(0, 2), "0.00");
  EXPECT_EQ(FormatMoney(1234, 0), "1234");
}

TEST(NumberTest, ParsesIntegersAndDecimals) {
  EXPECT_EQ(*ParseInteger("42"), 42);
  EXPECT_EQ(*ParseInteger("+7"), 7);
  EXPECT_FALSE(ParseInteger("4.2"));
  EXPECT_FALSE(ParseInteger(""));
  EXPECT_DOUBLE_EQ(*ParseDecimal("2.5"), 2.5);
  EXPECT_FALSE(ParseDecimal("nan"));
  EXPECT_FALSE(ParseDecimal("2x"));
  EXPECT_EQ(FormatDecimal(3.0), "3");
  EXPECT_EQ(FormatDecimal(0.25), "0.25");
}

}  // namespace
}  // namespace tenure
