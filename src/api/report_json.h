// The JSON shapes of the reports: statistics by classification, the 80/20
// view, lead grading, the churn report, the team report, the complaint report
// the defaulters and a credit file. Shared by the server's /stats and /reports routes and
// the CLI's --json output. Conventions as in json_codec.h: money a decimal
// number in the currency unit, shares and rates fractions (0.25 = 25 %),
// absent values null.
//
// Includes nlohmann/json: include this header only from .cc files that
// build JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/time.h"
#include "engine/churn.h"
#include "engine/complaints.h"
#include "engine/credit.h"
#include "engine/playbooks/playbooks.h"
#include "engine/stats.h"
#include "engine/team_report.h"

namespace tenure::api {

nlohmann::json StatsJson(const engine::StatsReport& report, const std::string& currency,
                         int decimals);
nlohmann::json ParetoJson(const engine::ParetoReport& report, const std::string& currency,
                          int decimals);
nlohmann::json LeadsJson(const engine::LeadReport& report);
nlohmann::json ChurnReportJson(const engine::ChurnReport& report, int decimals);
nlohmann::json TeamReportJson(const engine::TeamReport& report);
// `deadlines` are the ones the report judged overdue by.
nlohmann::json ComplaintReportJson(const engine::ComplaintReport& report,
                                   const engine::ComplaintDeadlines& deadlines);
// A customer's credit file with its rating and the reasons for it.
nlohmann::json CreditFileJson(const engine::CreditFile& file, int decimals);
// Which playbook keeps customers (engine/playbooks/playbooks.h).
nlohmann::json PlaybookEffectJson(const engine::playbooks::EffectReport& report);
nlohmann::json DefaultersJson(const std::vector<engine::Defaulter>& defaulters, Date as_of,
                              int min_days, int decimals);

}  // namespace tenure::api
