// The customer list's filters as named parameters. GET /api/v1/customers
// takes them from its query string and `tenure customer list` from its
// options, so both accept, convert and refuse the same values
// (docs/api.md); both then read the page with store::ListCustomers.
#pragma once

#include <span>
#include <string>
#include <utility>

#include "common/status.h"
#include "store/customer_list_queries.h"
#include "store/database.h"

namespace tenure::engine {

// One named parameter, (name, value), as a query string holds it.
using ListParam = std::pair<std::string, std::string>;

// The list query of `params`:
//   q        the search (name, phone, e-mail of the customer or a contact)
//   ids      internal ids separated by ',' (1-1000)
//   sort     a column of store::ListCustomers; '-' first: descending
//   after    the previous page's next_cursor
//   DIMENSION (store::IsCustomerDimension) equal to the value: status,
//            lead_stage and credit_rating by name, owner_id and team_id by
//            internal id, the others as text
//   min_METRIC, max_METRIC (store::IsCustomerMetric) a bound: money in the
//            currency unit (`currency_decimals` digits), last_contact_at a
//            time, dates ISO, the rest numbers
// The limit is the caller's to set (the query's default is 50). Errors:
// kInvalidArgument naming the parameter, for a name that is none of these or
// a value that is not of its kind.
Result<store::CustomerListQuery> CustomerListQueryOf(std::span<const ListParam> params,
                                                     int currency_decimals);

// The internal id of the user called `username` and of the team called
// `team`, for the owner_id and team_id filters of a caller that names them.
// Errors: kNotFound naming `field`.
Result<int64_t> UserIdOf(store::Database& db, const std::string& username,
                         const std::string& field);
Result<int64_t> TeamIdOf(store::Database& db, const std::string& team, const std::string& field);

}  // namespace tenure::engine
