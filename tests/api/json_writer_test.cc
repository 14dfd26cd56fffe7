// The streaming JSON writer: its text is what nlohmann reads back, byte for
// byte where the shape is fixed (commas, escapes, numbers).
#include "api/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

namespace tenure::api {
namespace {

using nlohmann::json;

TEST(JsonWriterTest, WritesNestedContainersWithCommasInTheRightPlaces) {
  JsonWriter w;
  w.BeginObject();
  w.Key("a").BeginArray().Int(1).Double(2.5).String("x").Null().Bool(true).Bool(false).EndArray();
  w.Key("b").BeginObject().EndObject();
  w.Key("c").BeginArray().EndArray();
  w.Key("d").BeginArray();
  w.BeginObject().Key("e").Int(-3).EndObject();
  w.BeginObject().Key("f").BeginArray().BeginArray().EndArray().EndArray().EndObject();
  w.EndArray();
  w.EndObject();
  EXPECT_EQ(w.Take(),
            R"({"a":[1,2.5,"x",null,true,false],"b":{},"c":[],"d":[{"e":-3},{"f":[[]]}]})");
  // Take leaves an empty writer behind.
  w.BeginArray().Int(7).EndArray();
  EXPECT_EQ(w.Take(), "[7]");
}

TEST(JsonWriterTest, EscapesWhatRfc8259Requires) {
  std::string text = "quote \" backslash \\ slash / tab \t newline \n return \r";
  text += " backspace \b formfeed \f nul ";
  text += '\0';
  text += " unit separator \x1f delete \x7f";
  JsonWriter w;
  w.BeginObject().Key("k\"ey").String(text).EndObject();
  std::string out = w.Take();
  EXPECT_EQ(out,
            "{\"k\\\"ey\":\"quote \\\" backslash \\\\ slash / tab \\t newline \\n return \\r"
            " backspace \\b formfeed \\f nul \\u0000 unit separator \\u001f delete \x7f\"}");
  json back = json::parse(out);
  EXPECT_EQ(back["k\"ey"], text);
}

TEST(JsonWriterTest, KeepsUtf8AndReplacesBytesThatAreNotUtf8) {
  // Two-, three- and four-byte characters pass through unchanged.
  const std::string good = "Zürich 杭州市 \xF0\x9F\x98\x80 \xEF\xBF\xBF \xF4\x8F\xBF\xBF";
  JsonWriter w;
  w.String(good);
  std::string out = w.Take();
  EXPECT_EQ(out, "\"" + good + "\"");
  EXPECT_EQ(json::parse(out), good);

  const std::string replacement = "\xEF\xBF\xBD";
  struct Case {
    std::string bytes;
    std::string written;
  };
  const Case cases[] = {
      {"a\xFF"
       "b",
       "a" + replacement + "b"},                                  // never in UTF-8
      {"\xC0\xAF", replacement + replacement},                    // overlong '/'
      {"\xE0\x80\xAF", replacement + replacement + replacement},  // overlong, 3 bytes
      {"\xED\xA0\x80", replacement + replacement + replacement},  // a surrogate
      {"\xF4\x90\x80\x80", replacement + replacement + replacement + replacement},  // > U+10FFFF
      {"end \xE6\x9D", "end " + replacement + replacement},                         // cut short
      {"\x80 lone continuation", replacement + " lone continuation"},
  };
  for (const Case& c : cases) {
    w.String(c.bytes);
    out = w.Take();
    EXPECT_EQ(out, "\"" + c.written + "\"") << c.bytes;
    // nlohmann refuses the original bytes; it reads the written text.
    EXPECT_THROW(json(c.bytes).dump(), json::type_error) << c.bytes;
    EXPECT_EQ(json::parse(out), c.written) << c.bytes;
  }
}

TEST(JsonWriterTest, NumbersReadBackExactly) {
  const int64_t ints[] = {0, -1, 42, std::numeric_limits<int64_t>::max(),
                          std::numeric_limits<int64_t>::min()};
  for (int64_t n : ints) {
    JsonWriter w;
    w.Int(n);
    std::string out = w.Take();
    EXPECT_EQ(out, std::to_string(n));
    EXPECT_EQ(json::parse(out).get<int64_t>(), n);
  }
  const double doubles[] = {
      130.36, 0.1, -2.5, 1e-7, 6.02214076e23, 1.7976931348623157e308, 5e-324, 0.30000000000000004};
  for (double x : doubles) {
    JsonWriter w;
    w.Double(x);
    std::string out = w.Take();
    json back = json::parse(out);
    EXPECT_TRUE(back.is_number_float()) << out;
    EXPECT_EQ(back.get<double>(), x) << out;
  }
}

TEST(JsonWriterTest, WholeDoublesStayFloatingPointAndNonFiniteAreNull) {
  JsonWriter w;
  w.BeginArray().Double(397.0).Double(-0.0).Double(1e21).Double(std::nan(""));
  w.Double(std::numeric_limits<double>::infinity()).EndArray();
  std::string out = w.Take();
  EXPECT_EQ(out, "[397.0,-0.0,1e+21,null,null]");
  json back = json::parse(out);
  EXPECT_TRUE(back[0].is_number_float());
  EXPECT_TRUE(back[2].is_number_float());
  // The same values as nlohmann writes them from a tree.
  EXPECT_EQ(out,
            json::array({397.0, -0.0, 1e21, std::nan(""), std::numeric_limits<double>::infinity()})
                .dump());
}

TEST(JsonWriterTest, FindsTheFirstSpecialByteWhereverItIs) {
  // The plain start of a string is found eight bytes at a time: a byte that
  // needs care at every place in and around the first words, with plain
  // bytes before and after it.
  const std::string specials[] = {"\"", "\\", "\n", "\x01", "\x1f", "\xC3\xA9", "\xE6\x9D\xAD"};
  for (const std::string& special : specials) {
    for (size_t at = 0; at <= 24; ++at) {
      std::string text = std::string(at, 'a') + special + std::string(24 - at, 'z');
      JsonWriter w;
      w.String(text);
      EXPECT_EQ(w.Take(), json(text).dump()) << at;
    }
  }
  // A stray byte after plain bytes that fill whole words.
  JsonWriter w;
  w.String(std::string(16, 'q') + "\xFF" + "r");
  EXPECT_EQ(w.Take(), "\"" + std::string(16, 'q') + "\xEF\xBF\xBDr\"");
}

TEST(JsonWriterTest, DecimalsAreExactAndReadAsDoubleWritesThem) {
  struct Case {
    int64_t units;
    int decimals;
    std::string text;
  };
  const Case cases[] = {
      {1234, 2, "12.34"},
      {1250, 2, "12.5"},
      {10000000, 2, "100000.0"},
      {-5, 2, "-0.05"},
      {0, 2, "0.0"},
      {5, 0, "5.0"},
      {7, 4, "0.0007"},
      {120000, 4, "12.0"},
      {std::numeric_limits<int64_t>::min(), 2, "-92233720368547758.08"},
      {std::numeric_limits<int64_t>::max(), 4, "922337203685477.5807"},
  };
  for (const Case& c : cases) {
    JsonWriter w;
    w.Decimal(c.units, c.decimals);
    EXPECT_EQ(w.Take(), c.text) << c.units << " " << c.decimals;
  }
  // Below 10^15 units the text is Double's of the same amount, but for the
  // round amounts Double writes with an exponent; both read back the same.
  uint64_t state = 88172645463325252u;  // xorshift64
  for (int i = 0; i < 20000; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    const int decimals = static_cast<int>(state % 5);
    const int64_t units = static_cast<int64_t>(state % 2000000000000000) - 1000000000000000;
    const int64_t round_units = units / 1000000 * 1000000;
    for (int64_t n : {units, round_units}) {
      JsonWriter w;
      w.Decimal(n, decimals);
      const std::string decimal = w.Take();
      const double value = static_cast<double>(n) / std::pow(10.0, decimals);
      w.Double(value);
      const std::string shortest = w.Take();
      if (shortest.find('e') == std::string::npos) {
        EXPECT_EQ(decimal, shortest);
      }
      EXPECT_EQ(json::parse(decimal).get<double>(), value) << decimal;
      EXPECT_EQ(json::parse(decimal).dump(), json(value).dump()) << decimal;
    }
  }
}

}  // namespace
}  // namespace tenure::api
