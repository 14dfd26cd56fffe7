#include "domain/entity.h"

#include "common/text.h"
#include "common/time.h"
#include "domain/enums.h"

namespace tenure::domain {
namespace {

using F = FieldType;
constexpr uint8_t kReq = kRequired;
constexpr uint8_t kId = kIdentity;
constexpr uint8_t kPos = kNonNegative;
constexpr uint8_t kMl = kMultiLine;
constexpr uint8_t kBy = kAuthor;

const FieldSpec kTeamFields[] = {
    {"name", F::kText, kReq | kId, "team,team_name"},
    {"manager_id", F::kRef, 0, "manager,manager_username", {}, Entity::kUser},
};

const FieldSpec kUserFields[] = {
    {"username", F::kText, kReq | kId, "user,login,user_name"},
    {"full_name", F::kText, 0, "name,display_name"},
    {"email", F::kText, 0, "e_mail,mail"},
    {"role", F::kEnum, 0, "", kUserRoleNames, Entity::kUser, "sales"},
    {"team_id", F::kRef, 0, "team,team_name", {}, Entity::kTeam},
    {"active", F::kBool, 0, "enabled", {}, Entity::kUser, "true"},
    {"hired_on", F::kDate, 0, "hired,hire_date,start_date"},
    {"left_on", F::kDate, 0, "left,leave_date,end_date"},
};

const FieldSpec kCustomerFields[] = {
    {"name", F::kText, kReq | kId, "customer_name,company,company_name"},
    {"type", F::kText, 0, "customer_type"},
    {"industry", F::kText, 0, "sector"},
    {"level", F::kText, 0, "customer_level,grade,tier"},
    {"source", F::kText, 0, "lead_source,channel"},
    {"province", F::kText, 0, "state,region"},
    {"city", F::kText, kId, "town"},
    {"address", F::kText, kMl, "street"},
    {"phone", F::kText, 0, "telephone,tel"},
    {"email", F::kText, 0, "e_mail,mail"},
    {"website", F::kText, 0, "web,url"},
    {"status", F::kEnum, 0, "customer_status", kCustomerStatusNames, Entity::kUser, "active"},
    {"lead_stage", F::kEnum, 0, "stage", kLeadStageNames},
    {"owner_id", F::kRef, 0, "owner,salesperson,sales_rep,account_manager", {}, Entity::kUser},
    {"team_id", F::kRef, 0, "team,team_name", {}, Entity::kTeam},
    {"credit_limit", F::kMoney, kPos, "limit"},
    {"credit_rating", F::kEnum, 0, "rating", kCreditRatingNames},
    {"acquired_on", F::kDate, 0, "customer_since,since,signup_date,acquired"},
    {"notes", F::kText, kMl, "note,remarks"},
};

const FieldSpec kContactFields[] = {
    {"customer_id", F::kRef, kReq | kId, "customer,cust_id,client_id", {}, Entity::kCustomer},
    {"name", F::kText, kReq | kId, "contact_name,full_name,contact"},
    {"title", F::kText, 0, "position,job_title,role"},
    {"phone", F::kText, 0, "telephone,tel"},
    {"mobile", F::kText, 0, "cell,mobile_phone"},
    {"email", F::kText, 0, "e_mail,mail"},
    {"is_primary", F::kBool, 0, "primary,main", {}, Entity::kUser, "false"},
    {"birthday", F::kDate, 0, "birth_date,date_of_birth"},
    {"notes", F::kText, kMl, "note,remarks"},
};

const FieldSpec kActivityFields[] = {
    {"customer_id", F::kRef, kReq | kId, "customer,cust_id,client_id", {}, Entity::kCustomer},
    {"contact_id", F::kRef, 0, "contact", {}, Entity::kContact},
    {"user_id", F::kRef, kId | kBy, "user,salesperson,owner", {}, Entity::kUser},
    {"kind", F::kEnum, kReq | kId, "type,activity_type,channel", kActivityKindNames},
    {"occurred_at", F::kTimestamp, kReq | kId, "date,time,activity_date,when"},
    {"outcome", F::kEnum, 0, "result", kActivityOutcomeNames},
    {"notes", F::kText, kMl, "note,summary,description"},
    {"follow_up_on", F::kDate, 0, "follow_up,follow_up_date,next_contact,next_contact_on"},
    {"follow_up_done", F::kBool, 0, "done", {}, Entity::kUser, "false"},
};

const FieldSpec kOpportunityFields[] = {
    {"customer_id", F::kRef, kReq | kId, "customer,cust_id,client_id", {}, Entity::kCustomer},
    {"owner_id", F::kRef, kBy, "owner,salesperson,user", {}, Entity::kUser},
    {"name", F::kText, kReq | kId, "title,opportunity,deal"},
    {"stage", F::kEnum, 0, "status", kLeadStageNames, Entity::kUser, "new"},
    {"amount", F::kMoney, kPos, "value,expected_value"},
    {"opened_on", F::kDate, 0, "opened,open_date,created_on"},
    {"expected_close_on", F::kDate, 0, "expected_close,close_date"},
    {"closed_on", F::kDate, 0, "closed,closed_date"},
    {"lost_reason", F::kText, kMl, "loss_reason,reason"},
};

const FieldSpec kQuotationFields[] = {
    {"customer_id", F::kRef, kReq | kId, "customer,cust_id,client_id", {}, Entity::kCustomer},
    {"opportunity_id", F::kRef, 0, "opportunity,deal", {}, Entity::kOpportunity},
    {"user_id", F::kRef, kBy, "user,salesperson", {}, Entity::kUser},
    {"quoted_on", F::kDate, kReq | kId, "date,quote_date"},
    {"amount", F::kMoney, kReq | kId | kPos, "total,value"},
    {"valid_until", F::kDate, 0, "expires_on,valid_to"},
    {"status", F::kEnum, 0, "", kQuotationStatusNames, Entity::kUser, "sent"},
    {"notes", F::kText, kMl, "note,remarks"},
};

const FieldSpec kContractFields[] = {
    {"customer_id", F::kRef, kReq | kId, "customer,cust_id,client_id", {}, Entity::kCustomer},
    {"user_id", F::kRef, kBy, "user,salesperson", {}, Entity::kUser},
    {"signed_on", F::kDate, kId, "signed,sign_date,signed_date"},
    {"start_date", F::kDate, kReq | kId, "start,starts_on,start_on"},
    {"end_date", F::kDate, 0, "end,ends_on,end_on"},
    {"value", F::kMoney, kId | kPos, "amount,total"},
    {"status", F::kEnum, 0, "", kContractStatusNames, Entity::kUser, "active"},
    {"cancelled_on", F::kDate, 0, "cancelled,cancel_date"},
    {"renewal_of", F::kRef, 0, "renews,previous_contract", {}, Entity::kContract},
};

// How shop and ERP exports name a customer reference (headers are compared
// with camelCase split: "CustomerID" reads customer_id).
constexpr std::string_view kCustomerRefAliases =
    "customer,cust_id,client_id,customer_no,customer_number,client,buyer_id,account_id";

const FieldSpec kOrderFields[] = {
    {"customer_id", F::kRef, kReq | kId, kCustomerRefAliases, {}, Entity::kCustomer},
    {"user_id", F::kRef, kBy, "user,salesperson,sales_rep", {}, Entity::kUser},
    {"contract_id", F::kRef, 0, "contract", {}, Entity::kContract},
    {"order_date", F::kDate, kReq | kId,
     "date,ordered_on,purchase_date,invoice_date,order_time,transaction_date"},
    {"amount", F::kMoney, kReq | kId | kPos, "total,value,sales,revenue,price"},
    {"cost", F::kMoney, kPos, "cogs,cost_amount"},
    {"quantity", F::kDecimal, kId | kPos, "qty,units,count"},
    {"status", F::kEnum, 0, "order_status", kOrderStatusNames, Entity::kUser, "completed"},
};

const FieldSpec kInvoiceFields[] = {
    {"customer_id", F::kRef, kReq | kId, "customer,cust_id,client_id", {}, Entity::kCustomer},
    {"order_id", F::kRef, 0, "order", {}, Entity::kOrder},
    {"contract_id", F::kRef, 0, "contract", {}, Entity::kContract},
    {"issued_on", F::kDate, kId, "issued,invoice_date,date"},
    {"due_on", F::kDate, kReq | kId, "due,due_date"},
    {"amount", F::kMoney, kReq | kId | kPos, "total,value"},
    {"paid_amount", F::kMoney, kPos, "paid", {}, Entity::kUser, "0"},
    {"paid_on", F::kDate, 0, "payment_date,paid_date"},
};

const FieldSpec kExpenseFields[] = {
    {"customer_id", F::kRef, kReq | kId, "customer,cust_id,client_id", {}, Entity::kCustomer},
    {"user_id", F::kRef, kBy, "user,salesperson", {}, Entity::kUser},
    {"spent_on", F::kDate, kReq | kId, "date,expense_date"},
    {"amount", F::kMoney, kReq | kId | kPos, "total,value"},
    {"category", F::kText, kId, "type,kind"},
    {"notes", F::kText, kMl, "note,description"},
};

const FieldSpec kComplaintFields[] = {
    {"customer_id", F::kRef, kReq | kId, "customer,cust_id,client_id", {}, Entity::kCustomer},
    {"contact_id", F::kRef, 0, "contact", {}, Entity::kContact},
    {"kind", F::kEnum, kId, "type", kComplaintKindNames, Entity::kUser, "complaint"},
    {"category", F::kText, kId, "class,classification"},
    {"severity", F::kEnum, 0, "priority", kSeverityNames, Entity::kUser, "medium"},
    {"status", F::kEnum, 0, "state", kComplaintStatusNames, Entity::kUser, "open"},
    {"assignee_id", F::kRef, 0, "assignee,assigned_to", {}, Entity::kUser},
    {"opened_at", F::kTimestamp, kReq | kId, "opened,opened_on,date,created"},
    {"resolved_at", F::kTimestamp, 0, "resolved,resolved_on"},
    {"satisfaction", F::kInteger, 0, "satisfaction_score,rating", {}, Entity::kUser, {}, 1, 5},
    {"description", F::kText, kMl, "details,text"},
    {"resolution", F::kText, kMl, "resolution_notes"},
};

const FieldSpec kChurnReasonFields[] = {
    {"code", F::kText, kReq | kId, "reason"},
    {"label", F::kText, kReq, "name,description"},
};

const FieldSpec kChurnEventFields[] = {
    {"customer_id", F::kRef, kReq | kId, "customer,cust_id,client_id", {}, Entity::kCustomer},
    {"kind", F::kEnum, kId, "event", kChurnEventKindNames, Entity::kUser, "lost"},
    {"occurred_on", F::kDate, kReq | kId, "date,lost_on,churned_on"},
    {"churn_type", F::kEnum, 0, "type,loss_type", kChurnTypeNames},
    {"reasons", F::kReasonList, 0, "reason,loss_reasons"},
    {"competitor", F::kText, 0, ""},
    {"recorded_by", F::kRef, kBy, "user,recorded_by_user", {}, Entity::kUser},
    {"notes", F::kText, kMl, "note,remarks"},
};

const FieldSpec kOwnershipChangeFields[] = {
    {"customer_id", F::kRef, kReq | kId, "customer,cust_id,client_id", {}, Entity::kCustomer},
    {"from_user_id", F::kRef, 0, "from,from_user,previous_owner", {}, Entity::kUser},
    {"to_user_id", F::kRef, kReq | kId, "to,to_user,new_owner", {}, Entity::kUser},
    {"changed_at", F::kTimestamp, kReq | kId, "date,changed_on,when"},
    {"reason", F::kText, kMl, "notes"},
};

const FieldSpec kProductFields[] = {
    {"name", F::kText, kReq | kId, "product_name,description,item_name,title,product"},
    {"category", F::kText, 0, "product_category,category_name,product_type,group"},
    {"unit_cost", F::kMoney, kPos, "cost,cost_price,purchase_price"},
};

const FieldSpec kReturnFields[] = {
    {"customer_id", F::kRef, kReq | kId, kCustomerRefAliases, {}, Entity::kCustomer},
    {"order_id", F::kRef, 0, "order,original_order,original_invoice,return_of", {}, Entity::kOrder},
    {"returned_on", F::kDate, kReq | kId, "date,return_date,credited_on"},
    {"amount", F::kMoney, kReq | kId | kPos, "total,value,credit"},
    {"cost", F::kMoney, kPos, "cogs,cost_amount"},
    {"quantity", F::kDecimal, kPos, "qty,units"},
    {"reason", F::kText, kMl, "notes,note,return_reason"},
};

const FieldSpec kOrderLineFields[] = {
    {"order_id", F::kRef, kId, "order", {}, Entity::kOrder},
    {"return_id", F::kRef, kId, "return", {}, Entity::kReturn},
    {"product_id", F::kRef, kId, "product,sku,stock_code", {}, Entity::kProduct},
    {"quantity", F::kDecimal, kReq | kId | kPos, "qty,units"},
    {"unit_price", F::kDecimal, kPos, "price"},
    {"amount", F::kMoney, kReq | kId | kPos, "line_amount,line_total,total"},
};

const EntitySpec kEntities[] = {
    {Entity::kTeam, "teams", "team_id,id", "name", kTeamFields},
    {Entity::kUser, "users", "user_id,id", "username", kUserFields},
    {Entity::kCustomer, "customers", "customer_id,id,cust_id,client_id,customer_no,customer_number",
     "", kCustomerFields},
    {Entity::kContact, "contacts", "contact_id,id", "", kContactFields},
    {Entity::kActivity, "activities", "activity_id,id", "", kActivityFields},
    {Entity::kOpportunity, "opportunities", "opportunity_id,id,deal_id", "", kOpportunityFields},
    {Entity::kQuotation, "quotations", "quotation_id,quote_id,id", "", kQuotationFields},
    {Entity::kContract, "contracts", "contract_id,contract_no,id", "", kContractFields},
    {Entity::kProduct, "products",
     "product_id,id,sku,stock_code,item_code,item_id,article_no,product_code,item_no", "",
     kProductFields},
    {Entity::kOrder, "orders",
     "order_id,id,order_no,order_number,invoice_no,invoice,invoice_number,invoice_id,receipt_no",
     "", kOrderFields},
    {Entity::kReturn, "returns", "return_id,id,credit_note,credit_note_id,credit_note_no", "",
     kReturnFields},
    {Entity::kOrderLine, "order_lines", "order_line_id,line_id,id", "", kOrderLineFields},
    {Entity::kInvoice, "invoices", "invoice_id,invoice_no,id", "", kInvoiceFields},
    {Entity::kExpense, "expenses", "expense_id,id", "", kExpenseFields},
    {Entity::kComplaint, "complaints", "complaint_id,ticket_id,id", "", kComplaintFields},
    {Entity::kChurnReason, "churn_reasons", "id", "code", kChurnReasonFields},
    {Entity::kChurnEvent, "churn_events", "churn_event_id,event_id,id", "", kChurnEventFields},
    {Entity::kOwnershipChange, "ownership_changes", "ownership_change_id,change_id,id", "",
     kOwnershipChangeFields},
};

// Singular names accepted on the command line.
constexpr std::string_view kSingular[] = {
    "team",      "user",     "customer",  "contact",      "activity",    "opportunity",
    "quotation", "contract", "product",   "order",        "return",      "order_line",
    "invoice",   "expense",  "complaint", "churn_reason", "churn_event", "ownership_change",
};
static_assert(std::size(kSingular) == std::size(kEntities));

bool Given(const Row& row, const std::vector<bool>& present, std::optional<size_t> index) {
  return index && present[*index] && !std::holds_alternative<std::monostate>(row[*index]);
}

const std::string* TextAt(const Row& row, std::optional<size_t> index) {
  return index ? std::get_if<std::string>(&row[*index]) : nullptr;
}

const int64_t* IntAt(const Row& row, std::optional<size_t> index) {
  return index ? std::get_if<int64_t>(&row[*index]) : nullptr;
}

// Fails when both dates or both times are given and `later` comes before
// `earlier`. Dates are ISO text, so text order is date order; times are
// seconds.
std::optional<FieldError> CheckOrder(const EntitySpec& spec, const Row& row,
                                     std::string_view earlier, std::string_view later) {
  auto first = spec.FieldIndex(earlier);
  auto second = spec.FieldIndex(later);
  if (const std::string* a = TextAt(row, first)) {
    const std::string* b = TextAt(row, second);
    if (b && *b < *a) {
      return FieldError{
          *second, std::string(later) + " " + *b + " is before " + std::string(earlier) + " " + *a};
    }
  } else if (const int64_t* a = IntAt(row, first)) {
    const int64_t* b = IntAt(row, second);
    if (b && *b < *a) {
      return FieldError{*second, std::string(later) + " " + FormatTimestamp(*b) + " is before " +
                                     std::string(earlier) + " " + FormatTimestamp(*a)};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<size_t> EntitySpec::FieldIndex(std::string_view field_name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field_name) return i;
  }
  return std::nullopt;
}

std::span<const EntitySpec> AllEntities() { return kEntities; }

const EntitySpec& SpecOf(Entity entity) {
  for (const EntitySpec& spec : kEntities) {
    if (spec.entity == entity) return spec;
  }
  return kEntities[0];  // unreachable: every Entity has a spec
}

const EntitySpec* FindEntity(std::string_view name) {
  std::string wanted = NormalizeName(name);
  for (size_t i = 0; i < std::size(kEntities); ++i) {
    if (kEntities[i].name == wanted || kSingular[i] == wanted) return &kEntities[i];
  }
  return nullptr;
}

std::optional<FieldError> CheckRowRules(const EntitySpec& spec, const Row& row,
                                        const std::vector<bool>& present) {
  switch (spec.entity) {
    case Entity::kUser:
      return CheckOrder(spec, row, "hired_on", "left_on");
    case Entity::kContract:
      if (auto error = CheckOrder(spec, row, "start_date", "end_date")) return error;
      if (auto error = CheckOrder(spec, row, "signed_on", "cancelled_on")) return error;
      return std::nullopt;
    case Entity::kOpportunity:
      return CheckOrder(spec, row, "opened_on", "closed_on");
    case Entity::kQuotation:
      return CheckOrder(spec, row, "quoted_on", "valid_until");
    case Entity::kInvoice: {
      if (auto error = CheckOrder(spec, row, "issued_on", "due_on")) return error;
      auto amount = spec.FieldIndex("amount");
      auto paid = spec.FieldIndex("paid_amount");
      const int64_t* a = IntAt(row, amount);
      const int64_t* p = IntAt(row, paid);
      if (a && p && *p > *a) {
        return FieldError{*paid, "paid_amount is larger than the invoice amount"};
      }
      return std::nullopt;
    }
    case Entity::kComplaint:
      return CheckOrder(spec, row, "opened_at", "resolved_at");
    case Entity::kChurnEvent: {
      auto kind = spec.FieldIndex("kind");
      const int64_t* k = IntAt(row, kind);
      bool lost = k == nullptr || *k == static_cast<int64_t>(ChurnEventKind::kLost);
      if (!lost) return std::nullopt;
      auto type = spec.FieldIndex("churn_type");
      if (!Given(row, present, type)) {
        return FieldError{*type,
                          "a lost customer needs a churn type (natural, malicious, competition, "
                          "negligence)"};
      }
      auto reasons = spec.FieldIndex("reasons");
      if (!Given(row, present, reasons)) {
        return FieldError{*reasons, "a lost customer needs one or more reasons"};
      }
      return std::nullopt;
    }
    case Entity::kOwnershipChange: {
      auto from = spec.FieldIndex("from_user_id");
      auto to = spec.FieldIndex("to_user_id");
      const int64_t* f = IntAt(row, from);
      const int64_t* t = IntAt(row, to);
      if (f && t && *f == *t) return FieldError{*to, "to_user_id is the same as from_user_id"};
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace tenure::domain
