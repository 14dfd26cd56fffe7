-- A salesperson's or a manager's workbench list on the customers table reads
-- that owner's or team's customers through customers_owner or customers_team
-- (001) and keeps the rows the list wants: a few hundred or thousand row
-- reads, a few milliseconds (docs/benchmarks.md). 003's (owner_id, column)
-- and (team_id, column) indexes saved those milliseconds at the price of 14
-- indexes on every customer write and of about 17 s of index build in a
-- 1,000,000-customer bulk load; only the indexes for every customer stay.
DROP INDEX wb_customers_owner_last_order;
DROP INDEX wb_customers_team_last_order;
DROP INDEX wb_customers_owner_next_purchase;
DROP INDEX wb_customers_team_next_purchase;
DROP INDEX wb_customers_owner_dormant;
DROP INDEX wb_customers_team_dormant;
DROP INDEX wb_customers_owner_created;
DROP INDEX wb_customers_team_created;
DROP INDEX wb_customers_owner_updated;
DROP INDEX wb_customers_team_updated;
DROP INDEX wb_customers_owner_oldest_due;
DROP INDEX wb_customers_team_oldest_due;
DROP INDEX wb_customers_owner_over_credit;
DROP INDEX wb_customers_team_over_credit;
