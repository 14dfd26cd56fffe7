-- Which tables of records hold rows of a customer: one bit per table (the
-- order of store::kRecordTables, store/record_tables.h):
--   contacts 1, activities 2, opportunities 4, quotations 8, orders 16,
--   contracts 32, invoices 64, expenses 128, complaints 256,
--   churn_events 512, ownership_changes 1024.
-- A clear bit means the table holds no row of the customer. A set bit means
-- it holds or held one: the triggers below set the bit when a row is
-- inserted for the customer or moved to it, and nothing clears it when the
-- row is deleted or moved away (`tenure metrics rebuild` recomputes them).
--
-- The profile (GET /customers/{id}) reads eleven tables; most customers have
-- rows in four or five of them. Probing an empty table still reads an index
-- page, usually not in the page cache. On the 1,000,000-customer demo,
-- customers have rows in 5.3 of the 11 tables on average; skipping the others
-- took the server's profile requests per second up by 8-14 % in paired runs
-- (docs/benchmarks.md).
--
-- Bulk loads (the demo, a large import into an empty table) drop a table's
-- triggers during the load and set the bits in one pass afterwards.
ALTER TABLE customers ADD COLUMN record_tables INTEGER NOT NULL DEFAULT 0;

UPDATE customers SET record_tables =
    (EXISTS (SELECT 1 FROM contacts t WHERE t.customer_id = customers.id))
  | (EXISTS (SELECT 1 FROM activities t WHERE t.customer_id = customers.id) << 1)
  | (EXISTS (SELECT 1 FROM opportunities t WHERE t.customer_id = customers.id) << 2)
  | (EXISTS (SELECT 1 FROM quotations t WHERE t.customer_id = customers.id) << 3)
  | (EXISTS (SELECT 1 FROM orders t WHERE t.customer_id = customers.id) << 4)
  | (EXISTS (SELECT 1 FROM contracts t WHERE t.customer_id = customers.id) << 5)
  | (EXISTS (SELECT 1 FROM invoices t WHERE t.customer_id = customers.id) << 6)
  | (EXISTS (SELECT 1 FROM expenses t WHERE t.customer_id = customers.id) << 7)
  | (EXISTS (SELECT 1 FROM complaints t WHERE t.customer_id = customers.id) << 8)
  | (EXISTS (SELECT 1 FROM churn_events t WHERE t.customer_id = customers.id) << 9)
  | (EXISTS (SELECT 1 FROM ownership_changes t WHERE t.customer_id = customers.id) << 10);

CREATE TRIGGER contacts_record_tables_insert AFTER INSERT ON contacts BEGIN
  UPDATE customers SET record_tables = record_tables | 1
  WHERE id = NEW.customer_id AND record_tables & 1 = 0;
END;
CREATE TRIGGER contacts_record_tables_move AFTER UPDATE OF customer_id ON contacts BEGIN
  UPDATE customers SET record_tables = record_tables | 1
  WHERE id = NEW.customer_id AND record_tables & 1 = 0;
END;

CREATE TRIGGER activities_record_tables_insert AFTER INSERT ON activities BEGIN
  UPDATE customers SET record_tables = record_tables | 2
  WHERE id = NEW.customer_id AND record_tables & 2 = 0;
END;
CREATE TRIGGER activities_record_tables_move AFTER UPDATE OF customer_id ON activities BEGIN
  UPDATE customers SET record_tables = record_tables | 2
  WHERE id = NEW.customer_id AND record_tables & 2 = 0;
END;

CREATE TRIGGER opportunities_record_tables_insert AFTER INSERT ON opportunities BEGIN
  UPDATE customers SET record_tables = record_tables | 4
  WHERE id = NEW.customer_id AND record_tables & 4 = 0;
END;
CREATE TRIGGER opportunities_record_tables_move AFTER UPDATE OF customer_id ON opportunities BEGIN
  UPDATE customers SET record_tables = record_tables | 4
  WHERE id = NEW.customer_id AND record_tables & 4 = 0;
END;

CREATE TRIGGER quotations_record_tables_insert AFTER INSERT ON quotations BEGIN
  UPDATE customers SET record_tables = record_tables | 8
  WHERE id = NEW.customer_id AND record_tables & 8 = 0;
END;
CREATE TRIGGER quotations_record_tables_move AFTER UPDATE OF customer_id ON quotations BEGIN
  UPDATE customers SET record_tables = record_tables | 8
  WHERE id = NEW.customer_id AND record_tables & 8 = 0;
END;

CREATE TRIGGER orders_record_tables_insert AFTER INSERT ON orders BEGIN
  UPDATE customers SET record_tables = record_tables | 16
  WHERE id = NEW.customer_id AND record_tables & 16 = 0;
END;
CREATE TRIGGER orders_record_tables_move AFTER UPDATE OF customer_id ON orders BEGIN
  UPDATE customers SET record_tables = record_tables | 16
  WHERE id = NEW.customer_id AND record_tables & 16 = 0;
END;

CREATE TRIGGER contracts_record_tables_insert AFTER INSERT ON contracts BEGIN
  UPDATE customers SET record_tables = record_tables | 32
  WHERE id = NEW.customer_id AND record_tables & 32 = 0;
END;
CREATE TRIGGER contracts_record_tables_move AFTER UPDATE OF customer_id ON contracts BEGIN
  UPDATE customers SET record_tables = record_tables | 32
  WHERE id = NEW.customer_id AND record_tables & 32 = 0;
END;

CREATE TRIGGER invoices_record_tables_insert AFTER INSERT ON invoices BEGIN
  UPDATE customers SET record_tables = record_tables | 64
  WHERE id = NEW.customer_id AND record_tables & 64 = 0;
END;
CREATE TRIGGER invoices_record_tables_move AFTER UPDATE OF customer_id ON invoices BEGIN
  UPDATE customers SET record_tables = record_tables | 64
  WHERE id = NEW.customer_id AND record_tables & 64 = 0;
END;

CREATE TRIGGER expenses_record_tables_insert AFTER INSERT ON expenses BEGIN
  UPDATE customers SET record_tables = record_tables | 128
  WHERE id = NEW.customer_id AND record_tables & 128 = 0;
END;
CREATE TRIGGER expenses_record_tables_move AFTER UPDATE OF customer_id ON expenses BEGIN
  UPDATE customers SET record_tables = record_tables | 128
  WHERE id = NEW.customer_id AND record_tables & 128 = 0;
END;

CREATE TRIGGER complaints_record_tables_insert AFTER INSERT ON complaints BEGIN
  UPDATE customers SET record_tables = record_tables | 256
  WHERE id = NEW.customer_id AND record_tables & 256 = 0;
END;
CREATE TRIGGER complaints_record_tables_move AFTER UPDATE OF customer_id ON complaints BEGIN
  UPDATE customers SET record_tables = record_tables | 256
  WHERE id = NEW.customer_id AND record_tables & 256 = 0;
END;

CREATE TRIGGER churn_events_record_tables_insert AFTER INSERT ON churn_events BEGIN
  UPDATE customers SET record_tables = record_tables | 512
  WHERE id = NEW.customer_id AND record_tables & 512 = 0;
END;
CREATE TRIGGER churn_events_record_tables_move AFTER UPDATE OF customer_id ON churn_events BEGIN
  UPDATE customers SET record_tables = record_tables | 512
  WHERE id = NEW.customer_id AND record_tables & 512 = 0;
END;

CREATE TRIGGER ownership_changes_record_tables_insert AFTER INSERT ON ownership_changes BEGIN
  UPDATE customers SET record_tables = record_tables | 1024
  WHERE id = NEW.customer_id AND record_tables & 1024 = 0;
END;
CREATE TRIGGER ownership_changes_record_tables_move
AFTER UPDATE OF customer_id ON ownership_changes BEGIN
  UPDATE customers SET record_tables = record_tables | 1024
  WHERE id = NEW.customer_id AND record_tables & 1024 = 0;
END;
