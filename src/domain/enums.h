// Enumerations of the domain. Each is stored in the database as
// its integer code: a code is NEVER renumbered, new values are appended. The
// names (used in CSV files, the CLI and JSON) are in enums.cc, in code order.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace tenure::domain {

enum class UserRole { kAdmin = 0, kManager = 1, kSales = 2, kService = 3 };
enum class CustomerStatus { kLead = 0, kProspect = 1, kActive = 2, kLost = 3 };
enum class LeadStage {
  kNew = 0,
  kContacted = 1,
  kQualified = 2,
  kProposal = 3,
  kNegotiation = 4,
  kWon = 5,
  kLost = 6
};
enum class CreditRating { kA = 0, kB = 1, kC = 2, kD = 3 };
enum class ActivityKind { kCall = 0, kVisit = 1, kEmail = 2, kSms = 3, kMeeting = 4 };
enum class ActivityOutcome { kEffective = 0, kHighValue = 1, kUnsuccessful = 2 };
enum class QuotationStatus { kDraft = 0, kSent = 1, kAccepted = 2, kRejected = 3, kExpired = 4 };
enum class OrderStatus { kCompleted = 0, kOpen = 1, kCancelled = 2 };
enum class ContractStatus { kActive = 0, kCompleted = 1, kCancelled = 2 };
enum class ComplaintKind { kComplaint = 0, kDemand = 1 };
enum class Severity { kLow = 0, kMedium = 1, kHigh = 2, kCritical = 3 };
enum class ComplaintStatus { kOpen = 0, kInProgress = 1, kResolved = 2, kClosed = 3 };
enum class ChurnEventKind { kLost = 0, kWonBack = 1 };
enum class ChurnType { kNatural = 0, kMalicious = 1, kCompetition = 2, kNegligence = 3 };

// The names of each enumeration, indexed by code.
extern const std::string_view kUserRoleNames[4];
extern const std::string_view kCustomerStatusNames[4];
extern const std::string_view kLeadStageNames[7];
extern const std::string_view kCreditRatingNames[4];
extern const std::string_view kActivityKindNames[5];
extern const std::string_view kActivityOutcomeNames[3];
extern const std::string_view kQuotationStatusNames[5];
extern const std::string_view kOrderStatusNames[3];
extern const std::string_view kContractStatusNames[3];
extern const std::string_view kComplaintKindNames[2];
extern const std::string_view kSeverityNames[4];
extern const std::string_view kComplaintStatusNames[4];
extern const std::string_view kChurnEventKindNames[2];
extern const std::string_view kChurnTypeNames[4];

// The code whose name matches `text` (case-insensitively; spaces and hyphens
// read as '_', so "High Value" matches high_value); nullopt when none does.
std::optional<int> ParseEnumName(std::span<const std::string_view> names, std::string_view text);

template <typename E, size_t N>
std::string_view NameOf(const std::string_view (&names)[N], E value) {
  return names[static_cast<size_t>(value)];
}

}  // namespace tenure::domain
