// The SQL behind the handover of a departing salesperson's customers
// (engine/handover.h has the rules) and behind the report on how the
// handed-over customers fared.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/numbers.h"
#include "common/status.h"
#include "common/time.h"
#include "store/database.h"

namespace tenure::store {

struct UserRef {
  int64_t id = 0;
  std::string username;
  bool active = true;
  std::optional<int64_t> team_id;
};

// The user whose username is `key`; failing that, whose external id is
// `key`; failing that, whose internal id is `key` (a whole number). nullopt
// when none is.
Result<std::optional<UserRef>> FindUserRef(Database& db, std::string_view key);

struct OwnedCustomer {
  int64_t id = 0;
  std::string external_id;  // empty when none
  std::string name;
  std::string province;  // empty when NULL
  std::string city;
  // Open items of the customer assigned to the owner (see CountOpenItems).
  int64_t open_activities = 0;
  int64_t open_opportunities = 0;
  int64_t open_complaints = 0;
};

// Every customer whose owner_id is `user_id`, in id order, with the counts
// of its open items assigned to that user: activities with a follow-up date
// not done, opportunities not won or lost, complaints open or in progress.
Result<std::vector<OwnedCustomer>> LoadOwnedCustomers(Database& db, int64_t user_id);

// Open items (as above) assigned to `user_id` on customers it does not own;
// a handover leaves them where they are.
Result<int64_t> CountOpenItemsElsewhere(Database& db, int64_t user_id);

// Moves customers from one user to another with prepared statements reused
// for every customer. REQUIRES: a transaction is open on `db`.
class OwnershipMover {
 public:
  static Result<std::unique_ptr<OwnershipMover>> Create(Database& db);

  // Sets the customer's owner (and team, when `to_team` is set) if it is
  // still `from` (nullopt: no owner), moves its open items assigned to
  // `from` to `to`, and appends an ownership_changes row (changed_at `at`,
  // `reason`).
  Status Move(int64_t customer_id, std::optional<int64_t> from, int64_t to,
              std::optional<int64_t> to_team, Timestamp at, std::string_view reason, Timestamp now);

 private:
  OwnershipMover() = default;
  std::unique_ptr<Statement> customer_, activities_, opportunities_, complaints_, history_;
};

// Sets users.active = 0 and left_on.
Status DeactivateUser(Database& db, int64_t user_id, Date left_on, Timestamp now);

// Reasons of an ownership change that mean "handed over because the
// salesperson left": ours, and the wording of the demo company and of
// imported histories.
inline constexpr std::string_view kHandoverReasons[] = {"handover", "salesperson left"};

// The earliest handover (by kHandoverReasons) from `user_id`, and how many
// distinct customers were handed over from that user. nullopt when none.
struct HandoverSpan {
  Timestamp first_at = 0;
  int64_t customers = 0;
};
Result<std::optional<HandoverSpan>> LoadHandoverSpan(Database& db, int64_t user_id);

// One group of the fared report, summed over its customers.
struct FaredGroup {
  int64_t customers = 0;
  int64_t lost = 0;       // with a lost churn event in the window
  int64_t orders = 0;     // not cancelled, order_date in the window
  Money sales = 0;        // their amounts
  int64_t contacted = 0;  // with an activity in the window
};

// The two groups of customers active on `handover_day` (status active or lost
// now, acquired on or before that day, and not lost as of it by their churn
// events): [0] the others, [1] those handed over from `user_id`. The window
// is the days after the handover day up to and including `as_of`.
Result<std::pair<FaredGroup, FaredGroup>> LoadFaredGroups(Database& db, int64_t user_id,
                                                          Date handover_day, Date as_of);

}  // namespace tenure::store
