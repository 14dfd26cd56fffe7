// Internals of the demo generator (engine/demo.h), shared by demo*.cc: the
// random number generator, the column layout of each generated table, the
// chunk of rows handed from the generating threads to the writer, and the
// company (teams, salespeople, service agents) every customer draws on.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/entity.h"
#include "store/customer_metrics.h"

namespace tenure::engine::demo {

// xoshiro256** seeded through splitmix64. Our own generator and distributions
// rather than <random>'s, whose distributions differ between standard
// libraries: the same seed must give the same company everywhere.
class Rng {
 public:
  // Stream `stream` of `seed`; different streams are independent, which is
  // what lets customers be generated on any thread in any order.
  Rng(uint64_t seed, uint64_t stream) {
    uint64_t x = seed * 0x9E3779B97F4A7C15ull ^ Mix(stream + 0x632BE59BD9B4E019ull);
    for (uint64_t& s : s_) s = SplitMix(x);
  }

  uint64_t Next() {
    uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // lo..hi inclusive. REQUIRES: lo <= hi. The modulo's bias, span / 2^64, is
  // below 2^-30 for the spans used here.
  int64_t Int(int64_t lo, int64_t hi) {
    auto span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int64_t>(Next() % span);
  }
  bool Chance(double p) { return Uniform() < p; }
  double Exponential(double mean) { return -mean * std::log1p(-Uniform()); }
  // Standard normal (Box-Muller).
  double Normal() {
    double radius = std::sqrt(-2.0 * std::log1p(-Uniform()));
    return radius * std::cos(6.283185307179586 * Uniform());
  }
  double LogNormal(double median, double sigma) { return median * std::exp(sigma * Normal()); }
  // Gamma(shape, scale) by Marsaglia and Tsang (2000), "A simple method for
  // generating gamma variables"; shape < 1 through Gamma(shape + 1) * U^(1/shape).
  double Gamma(double shape, double scale) {
    if (shape < 1) {
      double u = 1.0 - Uniform();
      return Gamma(shape + 1, scale) * std::pow(u, 1.0 / shape);
    }
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / std::sqrt(9.0 * d);
    while (true) {
      double x = Normal();
      double v = 1.0 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      double u = 1.0 - Uniform();
      if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v * scale;
    }
  }
  double Beta(double a, double b) {
    double x = Gamma(a, 1);
    return x / (x + Gamma(b, 1));
  }
  int Poisson(double mean) {
    if (mean > 30)
      return std::max(0, static_cast<int>(std::lround(mean + std::sqrt(mean) * Normal())));
    double limit = std::exp(-mean), product = Uniform();
    int k = 0;
    while (product > limit) {
      product *= Uniform();
      ++k;
    }
    return k;
  }
  // An index drawn with the given (not necessarily normalised) weights.
  size_t Pick(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Uniform() * total;
    for (size_t i = 0; i + 1 < weights.size(); ++i) {
      if ((x -= weights[i]) < 0) return i;
    }
    return weights.size() - 1;
  }
  template <typename T, size_t N>
  const T& OneOf(const T (&items)[N]) {
    return items[static_cast<size_t>(Int(0, static_cast<int64_t>(N) - 1))];
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  static uint64_t SplitMix(uint64_t& x) { return Mix(x += 0x9E3779B97F4A7C15ull); }

  uint64_t s_[4];
};

// Positions of the fields in each generated row. They must match the order of
// the fields in domain/entity.cc; CheckLayouts() verifies that at start-up.
namespace team_col {
enum : size_t { kName, kManager };
}
namespace user_col {
enum : size_t { kUsername, kFullName, kEmail, kRole, kTeam, kActive, kHiredOn, kLeftOn };
}
namespace customer_col {
enum : size_t {
  kName,
  kType,
  kIndustry,
  kLevel,
  kSource,
  kProvince,
  kCity,
  kAddress,
  kPhone,
  kEmail,
  kWebsite,
  kStatus,
  kLeadStage,
  kOwner,
  kTeam,
  kCreditLimit,
  kCreditRating,
  kAcquiredOn,
  kNotes
};
}
namespace contact_col {
enum : size_t { kCustomer, kName, kTitle, kPhone, kMobile, kEmail, kIsPrimary, kBirthday, kNotes };
}
namespace activity_col {
enum : size_t {
  kCustomer,
  kContact,
  kUser,
  kKind,
  kOccurredAt,
  kOutcome,
  kNotes,
  kFollowUpOn,
  kFollowUpDone
};
}
namespace opportunity_col {
enum : size_t {
  kCustomer,
  kOwner,
  kName,
  kStage,
  kAmount,
  kOpenedOn,
  kExpectedCloseOn,
  kClosedOn,
  kLostReason
};
}
namespace quotation_col {
enum : size_t { kCustomer, kOpportunity, kUser, kQuotedOn, kAmount, kValidUntil, kStatus, kNotes };
}
namespace contract_col {
enum : size_t {
  kCustomer,
  kUser,
  kSignedOn,
  kStartDate,
  kEndDate,
  kValue,
  kStatus,
  kCancelledOn,
  kRenewalOf
};
}
namespace order_col {
enum : size_t { kCustomer, kUser, kContract, kDate, kAmount, kCost, kQuantity, kStatus };
}
namespace invoice_col {
enum : size_t { kCustomer, kOrder, kContract, kIssuedOn, kDueOn, kAmount, kPaidAmount, kPaidOn };
}
namespace expense_col {
enum : size_t { kCustomer, kUser, kSpentOn, kAmount, kCategory, kNotes };
}
namespace complaint_col {
enum : size_t {
  kCustomer,
  kContact,
  kKind,
  kCategory,
  kSeverity,
  kStatus,
  kAssignee,
  kOpenedAt,
  kResolvedAt,
  kSatisfaction,
  kDescription,
  kResolution
};
}
namespace churn_col {
enum : size_t {
  kCustomer,
  kKind,
  kOccurredOn,
  kChurnType,
  kReasons,
  kCompetitor,
  kRecordedBy,
  kNotes
};
}
namespace handover_col {
enum : size_t { kCustomer, kFromUser, kToUser, kChangedAt, kReason };
}

// Verifies the layouts above against the entity specs. Errors: kInternal
// naming the first field out of place.
Status CheckLayouts();

// The tables generated per customer, in the order the writer writes them.
enum class Table {
  kCustomers,
  kContacts,
  kContracts,
  kOrders,
  kInvoices,
  kOpportunities,
  kQuotations,
  kActivities,
  kExpenses,
  kComplaints,
  kChurnEvents,
  kOwnershipChanges,
};
inline constexpr size_t kTableCount = 12;
domain::Entity EntityOf(Table table);

// Rows of one table inside a chunk. References to rows generated in the same
// chunk (a contact's customer, an invoice's order) hold the referenced row's
// 0-based position in its table within the chunk; the writer turns them into
// ids. References to users and teams hold their ids.
struct TableRows {
  std::vector<domain::Row> rows;
  size_t size = 0;
  size_t width = 0;  // fields per row

  // A new row with every value NULL; its position is the size before the call.
  domain::Row& Add() {
    if (size == rows.size()) rows.emplace_back();
    domain::Row& row = rows[size++];
    row.assign(width, domain::Value{});
    return row;
  }
  int64_t next() const { return static_cast<int64_t>(size); }
};

// The rows of a run of consecutive customers.
struct Chunk {
  int64_t first_customer = 0;  // 0-based index of its first customer
  int64_t customers = 0;
  std::array<TableRows, kTableCount> tables;
  int64_t reason_links = 0;  // churn_event_reasons rows implied by the events
  // Per customer of the chunk: its derived metrics (engine/metrics.h) and
  // which tables hold its records (store/record_tables.h), made from its rows
  // by the generator thread, and its row's created_at and updated_at.
  std::vector<store::MetricColumns> metrics;
  std::vector<int64_t> record_tables;
  std::vector<std::pair<Timestamp, Timestamp>> stamps;

  TableRows& operator[](Table table) { return tables[static_cast<size_t>(table)]; }
  void Clear();
};

// One salesperson's stretch on a book of customers (a "slot"): from `from`
// until the next holder's `from`.
struct Tenure {
  int64_t user = 0;
  Date from;
};

// A book of customers in a team, passed from salesperson to salesperson when
// one leaves (the successor takes the book over on the day the other left).
struct Slot {
  int64_t team = 0;
  std::vector<Tenure> holders;  // by `from`, the first from the far past

  int64_t HolderAt(Date day) const {
    for (size_t i = holders.size(); i-- > 1;) {
      if (holders[i].from <= day) return holders[i].user;
    }
    return holders[0].user;
  }
};

struct Company {
  uint64_t seed = 0;
  Date start;         // first day of the history
  Date as_of;         // last day of the history
  Timestamp now = 0;  // as_of at 18:00 UTC: created_at, updated_at, "now"
  std::vector<Slot> slots;
  std::vector<int64_t> service_agents;  // user ids
  // By user id: how often a salesperson gets in touch (1 = as often as the
  // customer's level asks), how fast an agent resolves (1 = typical).
  std::vector<double> attentiveness;
  std::vector<double> agent_speed;
  std::vector<domain::Row> teams;  // rows of `teams`, ids 1..n
  std::vector<domain::Row> users;  // rows of `users`, ids 1..n
};

// The staff of a company sized for `customers` customers.
Company BuildCompany(uint64_t seed, int64_t customers, Date as_of);

// The external id of customer `index` (0-based): "C0000001" for 0.
inline std::string CustomerNumber(int64_t index) {
  char text[24];
  std::snprintf(text, sizeof text, "C%07lld", static_cast<long long>(index) + 1);
  return text;
}

// Appends customer `index` (0-based) and everything about it to `chunk`.
// Depends only on the company and the index.
void GenerateCustomer(const Company& company, int64_t index, Chunk& chunk);

// Value setters that reuse a row's buffers.
inline void SetText(domain::Value& value, std::string_view text) {
  if (auto* s = std::get_if<std::string>(&value)) {
    s->assign(text);
  } else {
    value.emplace<std::string>(text);
  }
}
inline void SetDate(domain::Value& value, Date date) {
  char text[10];
  FormatDateTo(date, text);
  SetText(value, std::string_view(text, 10));
}
// ASCII lower case ("Wang" -> "wang"), for user names and e-mail addresses.
inline std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Personal names for users and contacts.
std::string_view GivenName(Rng& rng);
std::string_view FamilyName(Rng& rng);

}  // namespace tenure::engine::demo
