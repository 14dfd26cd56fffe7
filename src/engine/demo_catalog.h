// The fixed vocabulary of the demo company: where customers are, what they do,
// how each customer level behaves, and the words of generated text. Weights
// are relative; they need not sum to one.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace tenure::engine::demo {

struct City {
  std::string_view name;
  std::string_view area_code;
};
struct Province {
  std::string_view name;
  double weight;
  std::span<const City> cities;
};

inline constexpr City kGuangdong[] = {
    {"Guangzhou", "20"}, {"Shenzhen", "755"}, {"Dongguan", "769"}, {"Foshan", "757"}};
inline constexpr City kJiangsu[] = {{"Nanjing", "25"}, {"Suzhou", "512"}, {"Wuxi", "510"}};
inline constexpr City kZhejiang[] = {{"Hangzhou", "571"}, {"Ningbo", "574"}, {"Wenzhou", "577"}};
inline constexpr City kShandong[] = {{"Jinan", "531"}, {"Qingdao", "532"}, {"Yantai", "535"}};
inline constexpr City kBeijing[] = {{"Beijing", "10"}};
inline constexpr City kShanghai[] = {{"Shanghai", "21"}};
inline constexpr City kSichuan[] = {{"Chengdu", "28"}, {"Mianyang", "816"}};
inline constexpr City kHubei[] = {{"Wuhan", "27"}, {"Yichang", "717"}};
inline constexpr City kHenan[] = {{"Zhengzhou", "371"}, {"Luoyang", "379"}};
inline constexpr City kFujian[] = {{"Fuzhou", "591"}, {"Xiamen", "592"}, {"Quanzhou", "595"}};
inline constexpr City kHunan[] = {{"Changsha", "731"}, {"Hengyang", "734"}};
inline constexpr City kLiaoning[] = {{"Shenyang", "24"}, {"Dalian", "411"}};
inline constexpr City kShaanxi[] = {{"Xi'an", "29"}, {"Baoji", "917"}};

inline constexpr Province kProvinces[] = {
    {"Guangdong", 16, kGuangdong}, {"Jiangsu", 13, kJiangsu}, {"Zhejiang", 11, kZhejiang},
    {"Shandong", 10, kShandong},   {"Beijing", 7, kBeijing},  {"Shanghai", 8, kShanghai},
    {"Sichuan", 6, kSichuan},      {"Hubei", 5, kHubei},      {"Henan", 6, kHenan},
    {"Fujian", 6, kFujian},        {"Hunan", 5, kHunan},      {"Liaoning", 4, kLiaoning},
    {"Shaanxi", 3, kShaanxi},
};

struct Industry {
  std::string_view name;
  std::string_view word;  // in company names
  std::string_view slug;  // in e-mail domains
  double weight;
  double spend;  // multiplies the spend per order
};
inline constexpr Industry kIndustries[] = {
    {"Manufacturing", "Machinery", "machinery", 18, 1.4},
    {"Electronics", "Electronics", "electronics", 12, 1.2},
    {"Textiles", "Textiles", "textiles", 7, 0.8},
    {"Food & beverage", "Foods", "foods", 9, 0.7},
    {"Construction", "Building Materials", "building", 8, 1.5},
    {"Retail", "Trading", "trading", 12, 0.6},
    {"Logistics", "Logistics", "logistics", 7, 0.9},
    {"Healthcare", "Medical", "medical", 6, 1.3},
    {"IT services", "Technology", "tech", 9, 1.1},
    {"Chemicals", "Chemicals", "chem", 5, 1.3},
    {"Automotive", "Auto Parts", "autoparts", 5, 1.2},
    {"Agriculture", "Agritech", "agri", 2, 0.8},
};

struct CustomerType {
  std::string_view name;
  double weight;
  double price_sensitivity;  // multiplies the odds that a loss goes to a competitor
};
inline constexpr CustomerType kTypes[] = {
    {"Enterprise", 20, 0.8}, {"SME", 45, 1.0},       {"Distributor", 15, 1.5},
    {"Retailer", 15, 1.4},   {"Government", 5, 0.5},
};

struct Weighted {
  std::string_view name;
  double weight;
};
inline constexpr Weighted kSources[] = {
    {"Referral", 25},  {"Trade show", 15},  {"Website", 25},
    {"Cold call", 15}, {"Advertising", 10}, {"Partner", 10},
};

// How a customer of each level behaves.
struct Level {
  std::string_view name;
  double weight;
  double purchase_rate;  // multiplies the orders per year
  double spend;          // multiplies the spend per order
  double contract_odds;  // of buying under contracts
  double touches;        // activities per year expected from the owner
  double deals;          // opportunities per year
  double expenses;       // expenses per year
  int64_t credit_limit;  // typical, in currency units
  int payment_terms;     // days from invoice to due date
};
inline constexpr Level kLevels[] = {
    {"A", 10, 1.8, 3.0, 0.60, 6, 1.0, 2.0, 500000, 60},
    {"B", 25, 1.3, 1.6, 0.35, 3, 0.5, 1.0, 200000, 45},
    {"C", 40, 1.0, 1.0, 0.15, 1.5, 0.25, 0.4, 50000, 30},
    {"D", 25, 0.65, 0.6, 0.05, 0.8, 0.1, 0.15, 10000, 30},
};

// By credit rating A..D (domain::CreditRating codes).
inline constexpr double kRatingWeights[] = {35, 40, 18, 7};
inline constexpr double kDefaultOdds[] = {0.004, 0.012, 0.07, 0.18};
inline constexpr double kLatePayerOdds[] = {0.08, 0.15, 0.30, 0.45};

inline constexpr std::string_view kNamePrefixes[] = {
    "Huaxin",  "Jinlong", "Tianhe",  "Xinda",    "Hengtai",  "Zhongke",  "Ruifeng",   "Dongfang",
    "Baoli",   "Yuanda",  "Kaiyuan", "Minsheng", "Hongyu",   "Shengshi", "Anda",      "Lianhe",
    "Fuxing",  "Guotai",  "Haida",   "Jiahe",    "Longteng", "Mingyang", "Qiaosheng", "Sanhe",
    "Taiping", "Wanjia",  "Xinghua", "Yongxin",  "Zhenxing", "Boyuan",
};
inline constexpr std::string_view kNameSuffixes[] = {
    "Co., Ltd.", "Group", "Industrial Co., Ltd.", "Trading Co., Ltd.", "Holdings",
};
inline constexpr std::string_view kStreets[] = {
    "Renmin", "Jiefang",    "Zhongshan", "Heping", "Jianshe",
    "Xinhua", "Changjiang", "Huanghe",   "Wenhua", "Keji",
};
inline constexpr std::string_view kTitles[] = {
    "General Manager",        "Purchasing Manager", "Finance Manager",
    "Operations Director",    "Chief Engineer",     "Owner",
    "Procurement Specialist", "IT Manager",
};

// Complaints and demands, and what a slow or missing answer does to the
// customer: the churn reasons a loss it causes carries.
struct ComplaintCategory {
  std::string_view name;
  double weight;
  std::string_view description;
  std::string_view resolution;
};
inline constexpr ComplaintCategory kComplaintCategories[] = {
    {"product_quality", 35, "Defective items in the last delivery", "Replaced the defective items"},
    {"delivery", 25, "Delivery arrived late", "Expedited the shipment and credited freight"},
    {"billing", 15, "Invoice amount does not match the order", "Issued a corrected invoice"},
    {"service", 20, "Support staff were unhelpful on the phone", "Apologised; coached the agent"},
    {"installation", 5, "Installation was not completed", "Sent an engineer to finish"},
};
inline constexpr ComplaintCategory kDemandCategories[] = {
    {"feature_request", 50, "Asks for a new product option", "Added to the product roadmap"},
    {"customization", 30, "Needs a customised variant", "Agreed a custom specification"},
    {"documentation", 20, "Needs certificates and manuals", "Sent the documents"},
};

inline constexpr std::string_view kCompetitors[] = {
    "Apex Supply",         "Greatwall Trading",    "Sunrise Industrial", "Dragon Parts",
    "BlueOcean Solutions", "Everbright Materials", "Pacific Components", "Golden Bridge Co.",
};
inline constexpr std::string_view kProducts[] = {
    "Annual supply agreement", "Equipment upgrade", "Spare parts",       "Maintenance service",
    "New product line",        "Bulk order",        "Software licences", "Training package",
};
inline constexpr std::string_view kLostDealReasons[] = {
    "price too high",    "chose a competitor",   "no budget",
    "project postponed", "requirements not met",
};

struct ExpenseCategory {
  std::string_view name;
  double weight;
  double min_amount;  // currency units
  double max_amount;
};
inline constexpr ExpenseCategory kExpenseCategories[] = {
    {"travel", 35, 200, 3000}, {"meals", 30, 50, 800},          {"gifts", 15, 100, 2000},
    {"samples", 12, 50, 1500}, {"entertainment", 8, 300, 5000},
};

// Activity kinds (domain::ActivityKind codes) and their frequency.
inline constexpr double kActivityKindWeights[] = {38, 15, 25, 14, 8};
inline constexpr std::string_view kActivityNotes[] = {
    "Discussed next quarter's needs",
    "Sent the new price list",
    "Left a voicemail",
    "Followed up on the last delivery",
    "Introduced the new product line",
    "Customer asked for a quotation",
    "Checked satisfaction with the service",
};

}  // namespace tenure::engine::demo
