#include "domain/enums.h"

#include "common/text.h"

namespace tenure::domain {

const std::string_view kUserRoleNames[4] = {"admin", "manager", "sales", "service"};
const std::string_view kCustomerStatusNames[4] = {"lead", "prospect", "active", "lost"};
const std::string_view kLeadStageNames[7] = {"new",         "contacted", "qualified", "proposal",
                                             "negotiation", "won",       "lost"};
const std::string_view kCreditRatingNames[4] = {"A", "B", "C", "D"};
const std::string_view kActivityKindNames[5] = {"call", "visit", "email", "sms", "meeting"};
const std::string_view kActivityOutcomeNames[3] = {"effective", "high_value", "unsuccessful"};
const std::string_view kQuotationStatusNames[5] = {"draft", "sent", "accepted", "rejected",
                                                   "expired"};
const std::string_view kOrderStatusNames[3] = {"completed", "open", "cancelled"};
const std::string_view kContractStatusNames[3] = {"active", "completed", "cancelled"};
const std::string_view kComplaintKindNames[2] = {"complaint", "demand"};
const std::string_view kSeverityNames[4] = {"low", "medium", "high", "critical"};
const std::string_view kComplaintStatusNames[4] = {"open", "in_progress", "resolved", "closed"};
const std::string_view kChurnEventKindNames[2] = {"lost", "won_back"};
const std::string_view kChurnTypeNames[4] = {"natural", "malicious", "competition", "negligence"};

std::optional<int> ParseEnumName(std::span<const std::string_view> names, std::string_view text) {
  std::string wanted = NormalizeName(text);
  for (size_t i = 0; i < names.size(); ++i) {
    if (NormalizeName(names[i]) == wanted) return static_cast<int>(i);
  }
  return std::nullopt;
}

}  // namespace tenure::domain
