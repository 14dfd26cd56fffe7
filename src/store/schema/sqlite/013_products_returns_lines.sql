-- What a shop or ERP export holds line by line (docs/import.md, "Order lines"):
-- products, the lines of each order, and returns. An order's amount is the sum
-- of its lines. A return (a cancellation line, a credit note) credits the
-- customer with what came back, so cumulative sales and gross profit are net
-- of returns; a return is not a purchase, so it does not count as an order
-- day or in the purchase cycle (docs/metrics.md).
CREATE TABLE products (
  id          INTEGER PRIMARY KEY,
  external_id TEXT,
  name        TEXT NOT NULL,
  category    TEXT,
  unit_cost   INTEGER CHECK (unit_cost >= 0),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX products_external_id ON products(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX products_category ON products(category) WHERE category IS NOT NULL;

CREATE TABLE returns (
  id          INTEGER PRIMARY KEY,
  external_id TEXT,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  order_id    INTEGER REFERENCES orders(id),            -- the order it returns, when known
  returned_on TEXT NOT NULL,
  amount      INTEGER NOT NULL CHECK (amount >= 0),     -- credited to the customer
  cost        INTEGER CHECK (cost >= 0),                -- of the goods that came back
  quantity    REAL CHECK (quantity >= 0),
  reason      TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX returns_external_id ON returns(external_id) WHERE external_id IS NOT NULL;
-- Covering for the metrics' scan (store/customer_metrics.h).
CREATE INDEX returns_customer ON returns(customer_id, returned_on, amount, cost);

-- A line belongs to an order or to a return, never both.
CREATE TABLE order_lines (
  id          INTEGER PRIMARY KEY,
  external_id TEXT,
  order_id    INTEGER REFERENCES orders(id),
  return_id   INTEGER REFERENCES returns(id),
  product_id  INTEGER REFERENCES products(id),
  quantity    REAL NOT NULL CHECK (quantity >= 0),
  unit_price  REAL CHECK (unit_price >= 0),
  amount      INTEGER NOT NULL CHECK (amount >= 0),     -- quantity x unit price, rounded
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1,
  CHECK ((order_id IS NULL) <> (return_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX order_lines_external_id ON order_lines(external_id)
  WHERE external_id IS NOT NULL;
CREATE INDEX order_lines_order ON order_lines(order_id) WHERE order_id IS NOT NULL;
CREATE INDEX order_lines_return ON order_lines(return_id) WHERE return_id IS NOT NULL;
CREATE INDEX order_lines_product ON order_lines(product_id);
