-- Text that is not UTF-8 is repaired: each byte that is not part of
-- well-formed UTF-8 becomes U+FFFD. Before this version an imported file in
-- Latin-1 (a cafe written "Caf\xe9") went into the database as it was, and
-- every output that met it failed (a JSON writer cannot write such bytes).
-- Since then no write path stores such text (store/database.h), and this
-- repairs the rows stored before. tenure_utf8_valid and tenure_repair_utf8
-- are functions of Tenure's own connections (store/sqlite_database.cc).
-- Date columns are left out: they were always parsed, so always ASCII.
-- OR IGNORE: should two external ids differ only in bytes that repair to the
-- same text, the second row keeps its bytes rather than the migration
-- failing (outputs replace such bytes as they write them).

UPDATE OR IGNORE teams SET
    external_id = tenure_repair_utf8(external_id),
    name = tenure_repair_utf8(name)
  WHERE NOT (tenure_utf8_valid(external_id) AND tenure_utf8_valid(name));

UPDATE OR IGNORE users SET
    external_id = tenure_repair_utf8(external_id),
    username = tenure_repair_utf8(username),
    full_name = tenure_repair_utf8(full_name),
    email = tenure_repair_utf8(email)
  WHERE NOT (tenure_utf8_valid(external_id) AND tenure_utf8_valid(username) AND tenure_utf8_valid(full_name) AND tenure_utf8_valid(email));

UPDATE OR IGNORE customers SET
    external_id = tenure_repair_utf8(external_id),
    name = tenure_repair_utf8(name),
    type = tenure_repair_utf8(type),
    industry = tenure_repair_utf8(industry),
    level = tenure_repair_utf8(level),
    source = tenure_repair_utf8(source),
    province = tenure_repair_utf8(province),
    city = tenure_repair_utf8(city),
    address = tenure_repair_utf8(address),
    phone = tenure_repair_utf8(phone),
    email = tenure_repair_utf8(email),
    website = tenure_repair_utf8(website),
    notes = tenure_repair_utf8(notes)
  WHERE NOT (tenure_utf8_valid(external_id) AND tenure_utf8_valid(name) AND tenure_utf8_valid(type) AND tenure_utf8_valid(industry) AND tenure_utf8_valid(level) AND tenure_utf8_valid(source) AND tenure_utf8_valid(province) AND tenure_utf8_valid(city) AND tenure_utf8_valid(address) AND tenure_utf8_valid(phone) AND tenure_utf8_valid(email) AND tenure_utf8_valid(website) AND tenure_utf8_valid(notes));

UPDATE OR IGNORE contacts SET
    external_id = tenure_repair_utf8(external_id),
    name = tenure_repair_utf8(name),
    title = tenure_repair_utf8(title),
    phone = tenure_repair_utf8(phone),
    mobile = tenure_repair_utf8(mobile),
    email = tenure_repair_utf8(email),
    notes = tenure_repair_utf8(notes)
  WHERE NOT (tenure_utf8_valid(external_id) AND tenure_utf8_valid(name) AND tenure_utf8_valid(title) AND tenure_utf8_valid(phone) AND tenure_utf8_valid(mobile) AND tenure_utf8_valid(email) AND tenure_utf8_valid(notes));

UPDATE OR IGNORE activities SET
    external_id = tenure_repair_utf8(external_id),
    notes = tenure_repair_utf8(notes)
  WHERE NOT (tenure_utf8_valid(external_id) AND tenure_utf8_valid(notes));

UPDATE OR IGNORE opportunities SET
    external_id = tenure_repair_utf8(external_id),
    name = tenure_repair_utf8(name),
    lost_reason = tenure_repair_utf8(lost_reason)
  WHERE NOT (tenure_utf8_valid(external_id) AND tenure_utf8_valid(name) AND tenure_utf8_valid(lost_reason));

UPDATE OR IGNORE quotations SET
    external_id = tenure_repair_utf8(external_id),
    notes = tenure_repair_utf8(notes)
  WHERE NOT (tenure_utf8_valid(external_id) AND tenure_utf8_valid(notes));

UPDATE OR IGNORE contracts SET
    external_id = tenure_repair_utf8(external_id)
  WHERE NOT (tenure_utf8_valid(external_id));

UPDATE OR IGNORE orders SET
    external_id = tenure_repair_utf8(external_id)
  WHERE NOT (tenure_utf8_valid(external_id));

UPDATE OR IGNORE invoices SET
    external_id = tenure_repair_utf8(external_id)
  WHERE NOT (tenure_utf8_valid(external_id));

UPDATE OR IGNORE expenses SET
    external_id = tenure_repair_utf8(external_id),
    category = tenure_repair_utf8(category),
    notes = tenure_repair_utf8(notes)
  WHERE NOT (tenure_utf8_valid(external_id) AND tenure_utf8_valid(category) AND tenure_utf8_valid(notes));

UPDATE OR IGNORE complaints SET
    external_id = tenure_repair_utf8(external_id),
    category = tenure_repair_utf8(category),
    description = tenure_repair_utf8(description),
    resolution = tenure_repair_utf8(resolution)
  WHERE NOT (tenure_utf8_valid(external_id) AND tenure_utf8_valid(category) AND tenure_utf8_valid(description) AND tenure_utf8_valid(resolution));

UPDATE OR IGNORE churn_reasons SET
    external_id = tenure_repair_utf8(external_id),
    code = tenure_repair_utf8(code),
    label = tenure_repair_utf8(label)
  WHERE NOT (tenure_utf8_valid(external_id) AND tenure_utf8_valid(code) AND tenure_utf8_valid(label));

UPDATE OR IGNORE churn_events SET
    external_id = tenure_repair_utf8(external_id),
    competitor = tenure_repair_utf8(competitor),
    notes = tenure_repair_utf8(notes)
  WHERE NOT (tenure_utf8_valid(external_id) AND tenure_utf8_valid(competitor) AND tenure_utf8_valid(notes));

UPDATE OR IGNORE ownership_changes SET
    external_id = tenure_repair_utf8(external_id),
    reason = tenure_repair_utf8(reason)
  WHERE NOT (tenure_utf8_valid(external_id) AND tenure_utf8_valid(reason));

UPDATE OR IGNORE audit_log SET
    before_json = tenure_repair_utf8(before_json),
    after_json = tenure_repair_utf8(after_json)
  WHERE NOT (tenure_utf8_valid(before_json) AND tenure_utf8_valid(after_json));

UPDATE OR IGNORE login_failures SET
    username = tenure_repair_utf8(username),
    client = tenure_repair_utf8(client)
  WHERE NOT (tenure_utf8_valid(username) AND tenure_utf8_valid(client));
