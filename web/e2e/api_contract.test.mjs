// The API keeps the word of its OpenAPI document (docs/api.md): the
// document a real `tenure serve` serves at /api/v1/openapi.json is valid
// OpenAPI 3.0 (@apidevtools/swagger-parser), and a real answer of every GET
// route in it, on a demo company, matches the route's response schema (ajv,
// which reads OpenAPI 3.0's `nullable`). The schemas allow no member they do
// not name, so a field the server adds or renames without its schema fails
// here. Each route is asked as every role its x-roles allows (the scope
// changes what comes back), path ids are real rows found through the list
// routes, and the query variants that change an answer's shape are asked
// too. A GET route of the document this file does not check fails the test,
// named. TENURE_BINARY names the `tenure` to run (ctest sets it).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { apiLogin, startServer } from './support/server.mjs';

const addFormats = addFormatsModule.default ?? addFormatsModule;
const roles = ['admin', 'manager', 'sales', 'service'];

let server;
let document; // as served
let api; // dereferenced by swagger-parser: every $ref resolved
const tokens = {};
const checked = new Set(); // "GET /path" of the routes whose answer was checked
const failures = [];

before(async () => {
  const binary = process.env.TENURE_BINARY;
  const web = process.env.TENURE_WEB;
  if (!binary || !web) throw new Error('set TENURE_BINARY and TENURE_WEB (ctest does)');
  server = await startServer({ binary, web });
  for (const role of roles) tokens[role] = await apiLogin(server.url, server.logins[role]);
  document = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
});

after(async () => {
  await server?.stop();
});

// Compiled validators by "METHOD /path status".
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv, ['date', 'date-time']);
const validators = new Map();

function operationOf(path, method = 'get') {
  const operation = api.paths[path]?.[method];
  assert.ok(operation, `the document has no ${method.toUpperCase()} ${path}`);
  return operation;
}

// The success status and its response of an operation.
function successOf(operation) {
  const status = Object.keys(operation.responses).find((s) => /^2\d\d$/.test(s));
  assert.ok(status, 'an operation without a success response');
  return { status: Number(status), response: operation.responses[status] };
}

function validatorOf(path, method, status, schema) {
  const key = `${method} ${path} ${status}`;
  if (!validators.has(key)) validators.set(key, ajv.compile(schema));
  return validators.get(key);
}

// Asks `template` (a path of the document) at `path` (its params filled, a
// query) as `role` (null: no session), checks the answer against the
// document and returns its JSON body (null for a download).
async function check(template, path, role, method = 'get', body = undefined) {
  const operation = operationOf(template, method);
  const { status, response } = successOf(operation);
  const headers = {};
  if (role) headers.Authorization = `Bearer ${tokens[role]}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const answer = await fetch(`${server.url}/api/v1${path}`, { method: method.toUpperCase(), headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const label = `${method.toUpperCase()} ${path} as ${role ?? 'nobody'}`;
  const text = await answer.text();
  assert.equal(answer.status, status, `${label}: ${answer.status} ${text.slice(0, 300)}`);
  const type = answer.headers.get('content-type') ?? '';
  const content = response.content ?? {};
  checked.add(`${method.toUpperCase()} ${template}`);
  if (!type.startsWith('application/json')) {
    assert.ok(type in content, `${label}: answered ${type}, which the document does not list (${Object.keys(content).join(', ')})`);
    return null;
  }
  const schema = content['application/json']?.schema;
  assert.ok(schema, `${label}: answered JSON, which the document does not describe`);
  const json = JSON.parse(text);
  const validate = validatorOf(template, method, status, schema);
  if (!validate(json)) {
    failures.push(`${label} does not match its schema:\n  ${validate.errors.map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).slice(0, 10).join('\n  ')}`);
  }
  return json;
}

// The roles an operation's x-roles allows (every one for a public route).
function rolesOf(template) {
  return operationOf(template)['x-roles'] ?? roles;
}

// `template` asked with `query` as every role that may.
async function asEveryRole(template, query = '') {
  const answers = {};
  for (const role of rolesOf(template)) answers[role] = await check(template, `${template}${query}`, role);
  return answers;
}

test('the served document is valid OpenAPI 3.0.3 with a schema for every answer', async () => {
  assert.equal(document.openapi, '3.0.3');
  // validate() checks the document against the OpenAPI 3.0 schema and
  // resolves every $ref (it changes what it is given: a copy).
  api = await SwaggerParser.validate(structuredClone(document));
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const { response } = successOf(operation);
      assert.ok(response.content, `${method.toUpperCase()} ${path} names no answer`);
      const body = operation.requestBody?.content?.['application/json']?.schema;
      if (body) assert.ok(body.$ref, `${method.toUpperCase()} ${path}: a request body without a named schema`);
    }
  }
  for (const name of ['Customer', 'CustomerRow', 'CustomerProfile', 'CreditFile', 'WorkbenchList', 'Complaint', 'User', 'Session', 'AuditEntry', 'Error']) {
    assert.ok(document.components.schemas[name], `no component schema ${name}`);
  }
});

test('a real answer of every GET route matches its schema', async () => {
  assert.ok(api, 'the document did not validate');
  // Public routes, and the document itself.
  await check('/demo-logins', '/demo-logins', null);
  await check('/openapi.json', '/openapi.json', null);
  // The login answers too (a POST, but every session starts with it).
  await check('/login', '/login', null, 'post', { username: server.logins.sales, password: 'tenure-e2e-password' });
  const me = await asEveryRole('/me');

  // The record routes: a page, then one row of it, for every entity.
  const entityPaths = Object.keys(api.paths).filter((p) => api.paths[p].get && api.paths[`${p}/{id}`]?.get && p !== '/customers');
  const firstRow = {};
  for (const path of entityPaths) {
    const pages = await asEveryRole(path, '?limit=5');
    const row = pages.admin.items[0];
    assert.ok(row, `the demo has no row of ${path}: ${path}/{id} cannot be checked`);
    firstRow[path] = row;
    await check(`${path}/{id}`, `${path}/${row.id}`, 'admin');
    await check(path, `${path}?limit=2&after=${row.id}`, 'admin');
  }

  // Customers: the list and its variants, then the profile and credit file
  // of customers that have rows of every kind the profile lists.
  const customers = await asEveryRole('/customers', '?limit=20');
  await check('/customers', '/customers?q=a&sort=-cumulative_sales&limit=5', 'manager');
  await check('/customers', `/customers?ids=${customers.admin.items.map((c) => c.id).join(',')}`, 'admin');
  await check('/customers', `/customers?status=active&min_order_count=1&after=${encodeURIComponent(customers.admin.next_cursor ?? '')}`, 'admin');
  await check('/customers', '/customers?format=csv&limit=5&level=A', 'sales');
  await check('/customers', '/customers?format=xlsx&level=A', 'sales');
  const profiled = new Set([customers.admin.items[0].id, customers.sales.items[0]?.id]);
  for (const path of ['/contacts', '/activities', '/opportunities', '/quotations', '/orders', '/contracts', '/invoices', '/expenses', '/complaints', '/churn_events', '/ownership_changes']) {
    profiled.add(firstRow[path]?.customer_id);
  }
  profiled.delete(undefined);
  const sections = new Set();
  for (const id of profiled) {
    const profile = await check('/customers/{id}', `/customers/${id}`, 'admin');
    for (const [key, value] of Object.entries(profile)) if (Array.isArray(value) && value.length > 0) sections.add(key);
    await check('/customers/{id}', `/customers/${id}?as_of=2020-01-01`, 'admin');
    await check('/customers/{id}/credit', `/customers/${id}/credit`, 'admin');
  }
  const salesCustomer = customers.sales.items[0];
  if (salesCustomer) {
    await check('/customers/{id}', `/customers/${salesCustomer.id}`, 'sales');
    await check('/customers/{id}/credit', `/customers/${salesCustomer.id}/credit`, 'sales');
  }
  for (const section of ['contacts', 'activities', 'opportunities', 'quotations', 'orders', 'contracts', 'invoices', 'expenses', 'complaints', 'churn_events', 'ownership_changes']) {
    assert.ok(sections.has(section), `no profile checked holds ${section}`);
  }

  // The workbench: every list, for each role's own scope and as picked.
  await asEveryRole('/workbench');
  await asEveryRole('/workbench', '?page_size=0');
  const lists = api.components.schemas.WorkbenchList.properties.name.enum;
  for (const list of lists) {
    await check('/workbench/{list}', `/workbench/${list}?page_size=5`, 'sales');
    await check('/workbench/{list}', `/workbench/${list}?page_size=5`, 'admin');
  }
  const team = me.manager.scope.team;
  const teammate = firstRow['/users'] && (await check('/users', `/users?limit=1000&role=sales&team_id=${me.manager.scope.team_id}`, 'admin')).items[0];
  assert.ok(team && teammate, 'the demo manager has no team with a salesperson');
  await check('/workbench', `/workbench?team=${encodeURIComponent(team)}&page_size=3`, 'admin');
  await check('/workbench', `/workbench?user=${encodeURIComponent(teammate.username)}&page_size=3`, 'manager');
  await check('/workbench/{list}', `/workbench/lost?user=${encodeURIComponent(teammate.username)}`, 'manager');

  // The audit log, for everyone and one row's.
  await asEveryRole('/audit', '?limit=20');
  await check('/audit', `/audit?entity=customers&entity_id=${customers.admin.items[0].id}`, 'admin');

  // Statistics and reports, with the parameters that change their shape.
  await asEveryRole('/stats', '?by=province,city');
  await check('/stats', '/stats?by=type,industry,level,source,owner,team&from=2020-01-01&to=2030-12-31', 'admin');
  await check('/stats', '/stats?by=level&format=csv', 'manager');
  await check('/stats', '/stats?by=level&format=xlsx', 'manager');
  await asEveryRole('/stats/pareto');
  await check('/stats/pareto', '/stats/pareto?measure=profit&top=3&from=2020-01-01', 'admin');
  await asEveryRole('/stats/leads', '?limit=10');
  await check('/stats/leads', '/stats/leads?all=true&limit=0', 'admin');
  await asEveryRole('/reports/churn');
  await check('/reports/churn', '/reports/churn?period=quarter&segment=industry', 'admin');
  await check('/reports/churn', '/reports/churn?period=year&segment=city&from=2015-01-01', 'manager');
  await asEveryRole('/reports/playbooks');
  await check('/reports/playbooks', '/reports/playbooks?horizon=30', 'manager');
  await asEveryRole('/reports/team');
  await check('/reports/team', '/reports/team?by=day&from=2020-01-01', 'admin');
  await check('/reports/team', `/reports/team?by=day&user=${encodeURIComponent(teammate.username)}`, 'manager');
  await asEveryRole('/reports/complaints');
  await check('/reports/complaints', '/reports/complaints?period=year&from=2015-01-01', 'admin');
  await asEveryRole('/reports/defaulters');
  await check('/reports/defaulters', '/reports/defaulters?min_days=0', 'admin');

  // The downloads of every row.
  await check('/exports/{entity}', '/exports/teams', 'admin');
  await check('/exports/{entity}', '/exports/churn_reasons?format=xlsx', 'admin');

  // An error answers as the document says errors do.
  const missing = await fetch(`${server.url}/api/v1/customers/999999999`, { headers: { Authorization: `Bearer ${tokens.admin}` } });
  assert.equal(missing.status, 404);
  const validateError = validatorOf('/customers/{id}', 'get', 404, operationOf('/customers/{id}').responses['404'].content['application/json'].schema);
  const error = await missing.json();
  if (!validateError(error)) failures.push(`a 404 does not match the Error schema: ${JSON.stringify(validateError.errors)}`);

  assert.deepEqual(failures, [], `answers that do not match the document:\n${failures.join('\n')}`);
  const unchecked = [];
  for (const [path, operations] of Object.entries(api.paths)) {
    if (operations.get && !checked.has(`GET ${path}`)) unchecked.push(`GET ${path}`);
  }
  assert.deepEqual(unchecked, [], `GET routes of the document with no checked answer: ${unchecked.join(', ')}`);
});
