-- The customers table of the web app (GET /customers) reads its pages in
-- the order of the column it is sorted by, starting at the previous page's
-- last row (store/customer_list_queries.h). Without an index in that order
-- SQLite sorts every customer the filter leaves for each page: 0.5 s for
-- 1,000,000 customers by sales, 12 s by CLV. With one, a page is a seek and
-- 51 rows. Indexed here: the default sorts of the table, by name and by
-- sales (last order and creation date already have theirs, 003), and
-- P(alive) for the customers slipping away (CLV has its own, 006). The
-- other columns still sort; each index costs every import and scoring run
-- about a second per million rows, so only these.
CREATE INDEX customers_name ON customers(name);
CREATE INDEX customers_sales ON customers(cumulative_sales);
CREATE INDEX customer_scores_p_alive ON customer_scores(p_alive);
