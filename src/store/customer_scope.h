// Which customers a query may see: the store's side of engine/scope.h. Every
// query that lists customers, their records or figures over them takes one,
// and adds the condition CustomerScopeSql builds.
#pragma once

#include <cstdint>
#include <string>

namespace tenure::store {

// Which customers a query may see (resolved by engine/scope.h).
struct CustomerScope {
  enum class Kind {
    kAll,                // every customer
    kOwner,              // customers.owner_id = id
    kTeam,               // customers.team_id = id
    kComplaintAssignee,  // customers of a complaint assigned to user id
  };
  Kind kind = Kind::kAll;
  int64_t id = 0;
};

// The SQL condition on the customers table aliased `c` that `scope` implies
// ("1" for kAll). The id is written as a literal: it is an integer.
std::string CustomerScopeSql(const CustomerScope& scope);

}  // namespace tenure::store
