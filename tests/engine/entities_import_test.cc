// Every entity can be imported: a file with good rows and one bad row per
// entity, in dependency order, each bad row reported with its column and kept
// out; then the whole set re-imported changes nothing.
#include <gtest/gtest.h>

#include "engine/import_fixture.h"

namespace tenure::engine {
namespace {

struct EntityCase {
  const char* entity;
  const char* csv;         // good rows, then one bad row last
  int good;                // how many rows are good
  const char* bad_column;  // the column the bad row is rejected for
  const char* bad_reason;  // part of the reason
};

const EntityCase kCases[] = {
    {"teams", "team_id,name,manager\nT1,North,\nT2,South,\nT3,,\n", 2, "name", "required"},
    {"users",
     "user_id,username,full_name,email,role,team,active,hired_on,left_on\n"
     "U1,alice,Alice A,a@x.org,manager,T1,yes,2020-01-01,\n"
     "U2,bob,Bob B,b@x.org,sales,North,true,2020-02-01,\n"
     "U3,sam,Sam S,s@x.org,service,T2,1,2021-01-01,\n"
     "U4,dan,Dan D,d@x.org,sales,T2,no,2021-05-01,2021-03-01\n",
     3, "left_on", "is before hired_on"},
    {"customers",
     "customer_id,name,type,industry,level,source,province,city,owner,team,credit_limit,"
     "credit_rating,status,lead_stage,acquired_on\n"
     "C1,Acme,enterprise,retail,A,referral,Rhone,Lyon,bob,T1,5000,A,active,won,2020-03-01\n"
     "C2,Bolt,smb,energy,B,web,Var,Nice,U2,South,1000.50,B,lead,qualified,2021-01-01\n"
     "C3,Cargo,smb,energy,B,web,Var,Nice,bob,T1,100,E,active,,2021-01-01\n",
     2, "credit_rating", "unknown value 'E' (one of: A, B, C, D)"},
    {"contacts",
     "contact_id,customer,name,title,phone,email,primary,birthday\n"
     "K1,C1,Ann Lee,buyer,+33 1,ann@acme.fr,yes,1980-05-01\n"
     "K2,C2,Ben Ray,CEO,,,no,\n"
     "K3,C1,Cy,cto,,,maybe,\n",
     2, "primary", "not true/false"},
    {"activities",
     "activity_id,customer_id,contact,user,type,date,outcome,notes,follow_up\n"
     "A1,C1,K1,bob,call,2021-03-01 10:00,effective,asked for a quote,2021-03-08\n"
     "A2,C2,,bob,visit,2021-03-02T14:30:00Z,high_value,,\n"
     "A3,C1,,bob,fax,2021-03-03,effective,,\n",
     2, "type", "unknown value 'fax'"},
    {"opportunities",
     "opportunity_id,customer_id,owner,name,stage,amount,opened_on,expected_close,closed_on,"
     "lost_reason\n"
     "P1,C1,bob,Fleet renewal,won,12000,2021-01-01,2021-03-01,2021-02-15,\n"
     "P2,C2,bob,Pilot,lost,3000,2021-01-10,,2021-02-01,price\n"
     "P3,C2,bob,Retry,proposal,500,2021-03-01,,2021-02-01,\n",
     2, "closed_on", "is before opened_on"},
    {"quotations",
     "quotation_id,customer_id,opportunity,user,date,amount,valid_until,status\n"
     "Q1,C1,P1,bob,2021-01-20,11500,2021-02-20,accepted\n"
     "Q2,C2,P2,bob,2021-01-15,3000,,rejected\n"
     "Q3,C2,P9,bob,2021-01-15,3000,,sent\n",
     2, "opportunity", "unknown opportunity 'P9'"},
    {"contracts",
     "contract_id,customer_id,user,signed_on,start_date,end_date,value,status,cancelled_on,"
     "renewal_of\n"
     "K-1,C1,bob,2020-12-20,2021-01-01,2021-12-31,12000,completed,,\n"
     "K-2,C1,bob,2021-12-15,2022-01-01,2022-12-31,13000,active,,K-1\n"
     "K-3,C2,bob,2021-01-01,2021-02-01,2021-01-01,100,active,,\n",
     2, "end_date", "is before start_date"},
    {"orders",
     "order_id,customer_id,user,contract,date,amount,cost,quantity,status\n"
     "O1,C1,bob,K-1,2021-02-01,1200.00,800,3,completed\n"
     "O2,C2,,,2021-02-03,99.90,,1.5,cancelled\n"
     "O3,C2,,,2021-02-04,10,-1,1,completed\n",
     2, "cost", "must not be negative"},
    {"invoices",
     "invoice_id,customer_id,order,contract,issued_on,due_on,amount,paid_amount,paid_on\n"
     "I1,C1,O1,K-1,2021-02-01,2021-03-01,1200,1200,2021-03-15\n"
     "I2,C2,,,2021-02-03,2021-03-03,99.90,0,\n"
     "I3,C2,,,2021-02-03,2021-03-03,50,60,2021-03-01\n",
     2, "paid_amount", "larger than the invoice amount"},
    {"expenses",
     "expense_id,customer_id,user,date,amount,category,notes\n"
     "E1,C1,bob,2021-02-05,45.20,travel,train to Lyon\n"
     "E2,C2,bob,2021-02-06,12,gifts,\n"
     "E3,C2,bob,2021-13-06,12,gifts,\n",
     2, "date", "not a date"},
    {"complaints",
     "complaint_id,customer_id,contact,type,category,severity,status,assignee,opened_at,"
     "resolved_at,satisfaction,description\n"
     "S1,C1,K1,complaint,delivery,high,resolved,sam,2021-02-10 09:00,2021-02-11 17:00,4,late\n"
     "S2,C2,,demand,feature,low,open,sam,2021-02-12,,,wants API\n"
     "S3,C2,,complaint,billing,medium,resolved,sam,2021-02-12,2021-02-13,9,\n",
     2, "satisfaction", "between 1 and 5"},
    {"churn_reasons", "code,label\nbad_fit,Bad fit\nbudget_cut,Budget cut\n,No code\n", 2, "code",
     "required"},
    {"churn_events",
     "event_id,customer_id,kind,date,type,reasons,competitor,user\n"
     "L1,C2,lost,2021-06-01,competition,price;competitor_offer,Rival Inc,bob\n"
     "L2,C2,won_back,2021-09-01,,,,bob\n"
     "L3,C1,lost,2021-06-01,negligence,bad_fit | slow_response,,bob\n"
     "L4,C1,lost,2021-07-01,negligence,,,bob\n",
     3, "reasons", "needs one or more reasons"},
    {"ownership_changes",
     "change_id,customer_id,from,to,date,reason\n"
     "H1,C1,bob,alice,2021-04-01,bob on leave\n"
     "H2,C2,alice,alice,2021-04-01,\n",
     1, "to", "same as from_user_id"},
};

TEST_F(ImportFixture, EveryEntityImportsAndRejectsItsBadRow) {
  for (const EntityCase& c : kCases) {
    SCOPED_TRACE(c.entity);
    auto r = Import(c.entity, c.csv);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->inserted, c.good);
    ASSERT_EQ(r->rejected, 1);
    EXPECT_EQ(r->rejects[0].column, c.bad_column);
    EXPECT_NE(r->rejects[0].reason.find(c.bad_reason), std::string::npos) << r->rejects[0].reason;
    EXPECT_FALSE(r->rejects_path.empty());
    EXPECT_TRUE(r->ignored_columns.empty());
    EXPECT_EQ(Count("SELECT count(*) FROM " + std::string(domain::FindEntity(c.entity)->name)),
              c.good + (std::string(c.entity) == "churn_reasons" ? 12 : 0));
  }
  // Spot checks of what was stored.
  EXPECT_EQ(Count("SELECT credit_limit FROM customers WHERE external_id = 'C2'"), 100050);
  EXPECT_EQ(Count("SELECT count(*) FROM churn_event_reasons"), 4);
  EXPECT_EQ(
      Text("SELECT datetime(occurred_at, 'unixepoch') FROM activities WHERE external_id = 'A1'"),
      "2021-03-01 10:00:00");
  EXPECT_EQ(Count("SELECT r.external_id = 'K-1' FROM contracts c JOIN contracts r ON r.id = "
                  "c.renewal_of WHERE c.external_id = 'K-2'"),
            1);

  // Everything again: nothing changes.
  for (const EntityCase& c : kCases) {
    SCOPED_TRACE(c.entity);
    auto r = Import(c.entity, c.csv);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->inserted, 0);
    EXPECT_EQ(r->updated, 0);
    EXPECT_EQ(r->unchanged, c.good);
  }
}

}  // namespace
}  // namespace tenure::engine
