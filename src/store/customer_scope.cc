#include "store/customer_scope.h"

namespace tenure::store {

std::string CustomerScopeSql(const CustomerScope& scope) {
  std::string id = std::to_string(scope.id);
  switch (scope.kind) {
    case CustomerScope::Kind::kAll:
      return "1";
    case CustomerScope::Kind::kOwner:
      return "c.owner_id = " + id;
    case CustomerScope::Kind::kTeam:
      return "c.team_id = " + id;
    case CustomerScope::Kind::kComplaintAssignee:
      return "c.id IN (SELECT customer_id FROM complaints WHERE assignee_id = " + id + ")";
  }
  return "0";
}

}  // namespace tenure::store
