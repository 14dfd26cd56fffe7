// Customer 360 and the customers table: a salesperson works a customer from
// a card, meets another salesperson's customer, and saves over someone
// else's change; a manager filters, pages, downloads and reassigns.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { axeViolations, newPage, screenshot } from './support/browser.mjs';
import { apiGet, apiLogin } from './support/server.mjs';
import { nextDay, setUp } from './support/setup.mjs';
import { CustomerPage } from './pages/customer_page.mjs';
import { ListPage } from './pages/list_page.mjs';
import { LoginPage } from './pages/login_page.mjs';
import { WorkbenchPage } from './pages/workbench_page.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.tearDown();
});

async function apiSend(method, path, token, body) {
  const response = await fetch(`${env.server.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

for (const width of [1280, 375]) {
  test(`at ${width} px a salesperson opens a customer from a card, logs a call and finds them on tomorrow's card`, async () => {
    const token = await apiLogin(env.server.url, env.server.logins.sales);
    const page = await env.loggedIn('sales', width);
    const workbench = new WorkbenchPage(page, env.server.url);
    const before = await workbench.counts();
    const { as_of: today } = await apiGet(env.server.url, token, '/workbench?page_size=0');
    const tomorrow = nextDay(today);
    const due = new Set((await apiGet(env.server.url, token, '/workbench/contact_tomorrow?page_size=500')).rows.map((r) => r.customer_id));

    await workbench.openList('overdue_to_buy');
    const list = new ListPage(page);
    await list.loaded();
    const rows = (await apiGet(env.server.url, token, '/workbench/overdue_to_buy?page_size=100')).rows;
    const pick = rows.find((r) => !due.has(r.customer_id));
    assert.ok(pick, 'a customer overdue to buy and not due tomorrow');
    await list.row(pick.name).getByRole('link', { name: pick.name, exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/customers/${pick.customer_id}`);
    const customer = new CustomerPage(page, env.server.url);
    await customer.loaded();
    assert.match(await customer.title(), new RegExp(pick.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

    // The header and metrics say what the API says.
    const profile = await apiGet(env.server.url, token, `/customers/${pick.customer_id}`);
    assert.match(await page.locator('.badges').textContent(), new RegExp(`Owner ${env.server.logins.sales}`));
    assert.match(await page.locator('.metrics').textContent(), new RegExp(`${profile.days_overdue_to_buy} days overdue`));
    // The demo is scored: a customer who buys has a P(alive), a CLV and the model's next purchase.
    assert.notEqual(profile.scores.p_alive, null);
    const standing = await page.locator('.badges').textContent();
    assert.match(standing, new RegExp(`P\\(alive\\) ${Math.round(profile.scores.p_alive * 100)} %`));
    assert.match(standing, new RegExp(`Model's next purchase ${profile.scores.model_next_purchase_date}`));
    const events = profile.activities.length + profile.orders.length + profile.invoices.length + profile.contracts.length + profile.quotations.length + profile.opportunities.length + profile.expenses.length + profile.complaints.length + profile.churn_events.length + profile.ownership_changes.length;
    assert.equal((await customer.timelineTitles()).length, events);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'customer');

    const saved = await customer.logContact({ kind: 'call', outcome: 'effective', notes: `asked about reordering (${width})`, followUp: tomorrow });
    assert.equal(saved, `call logged, next on ${tomorrow}`);
    // The timeline has the call on top once the profile is read again.
    await page.waitForFunction((n) => document.querySelectorAll('.events .event').length === n, events + 1);
    assert.match((await customer.timelineTitles())[0], /^Call · effective/);

    // Filter the timeline to orders: the URL says so and only orders show.
    if (profile.orders.length > 0) {
      await page.locator('.kinds label', { hasText: 'Orders' }).click();
      await page.waitForURL((url) => url.searchParams.get('kinds') === 'order');
      const titles = await customer.timelineTitles();
      assert.equal(titles.length, profile.orders.length);
      assert.ok(titles.every((t) => t.startsWith('Order of')));
    }

    await page.getByRole('link', { name: 'Workbench' }).first().click();
    const after = await workbench.counts();
    assert.equal(after.contact_tomorrow, before.contact_tomorrow + 1);
    await workbench.openList('contact_tomorrow');
    assert.ok((await list.customerNames()).includes(pick.name));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('the customer page shows the churn risk the API holds, and says so when none is scored', async () => {
  const token = await apiLogin(env.server.url, env.server.logins.sales);
  const mine = await apiGet(env.server.url, token, '/customers?limit=1&sort=-cumulative_sales');
  const first = mine.items[0];
  assert.ok(first, 'a customer of the salesperson');
  let page = await env.loggedIn('sales', 1280);
  let customer = new CustomerPage(page, env.server.url);
  await customer.open(first.id);
  const unscored = await customer.risk();
  assert.equal(unscored.health, null);
  assert.match(unscored.text, /No risk model has scored this customer yet/);
  await page.context().close();

  // Train and score on the live database (the server reads what they write).
  for (const args of [['risk', 'train'], ['risk', 'score']]) {
    execFileSync(process.env.TENURE_BINARY, [...args, '--db', env.server.db], { stdio: 'pipe' });
  }
  const top = (await apiGet(env.server.url, token, '/customers?limit=1&sort=-value_at_risk')).items[0];
  const risk = (await apiGet(env.server.url, token, `/customers/${top.id}`)).risk;
  assert.ok(risk.health !== null && risk.reasons.length > 0, 'the top customer by value at risk has reasons');
  for (const width of [1280, 375]) {
    page = await env.loggedIn('sales', width);
    customer = new CustomerPage(page, env.server.url);
    await customer.open(top.id);
    const shown = await customer.risk();
    assert.equal(shown.health, String(risk.health));
    assert.equal(shown.probability, `${Math.round(risk.probability * 100)} % within ${risk.horizon_days} days`);
    assert.equal(shown.value, new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(risk.value_at_risk));
    assert.deepEqual(
      shown.reasons,
      risk.reasons.map((r) => `${r.text} (−${r.points} health)`),
    );
    if (risk.health_month_ago !== null && risk.health_month_ago !== risk.health) {
      assert.match(shown.text, new RegExp(`(down|up) ${Math.abs(risk.health - risk.health_month_ago)} since a month ago`));
    }
    assert.deepEqual(await axeViolations(page), []);
    await page.getByTestId('risk-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'customer-risk');
    await page.context().close();
  }
});

test('a salesperson closes playbook tasks on the workbench: one done, a proposed loss confirmed, another rejected', async () => {
  const rules = fileURLToPath(new URL('../../packaging/playbooks.conf', import.meta.url));
  execFileSync(process.env.TENURE_BINARY, ['playbooks', 'run', '--rules', rules, '--db', env.server.db], { stdio: 'pipe' });
  const token = await apiLogin(env.server.url, env.server.logins.sales);
  const tasks = async () => (await apiGet(env.server.url, token, '/workbench/playbook_tasks?page_size=500')).rows;
  const rows = await tasks();
  const todo = rows.find((r) => r.task_action !== 'confirm_loss');
  const proposed = rows.filter((r) => r.task_action === 'confirm_loss');
  assert.ok(todo && proposed.length >= 3, 'the salesperson has a task to do and three proposed losses');
  const [confirmed, rejected, unanswered] = proposed;
  const statusOf = async (row) => (await apiGet(env.server.url, token, `/customers/${row.customer_id}`)).status;
  const rejectedStatus = await statusOf(rejected);

  const page = await env.loggedIn('sales', 1280);
  await new WorkbenchPage(page, env.server.url).openList('playbook_tasks');
  const list = new ListPage(page);
  assert.equal(await list.closeTask(todo, { outcome: 'called, renewing in May' }), 'Task done: called, renewing in May');
  // A loss needs its reasons: the error stays under them, the task open.
  await list.closeTask(confirmed, { lostType: 'competition' }, false);
  const form = page.getByRole('form', { name: `Close the task for ${confirmed.name}` });
  await form.getByRole('button', { name: 'Confirm lost' }).click();
  await form.locator('.field-error').waitFor();
  assert.match(await form.locator('.field-error').textContent(), /a loss needs at least one reason/);
  assert.deepEqual(await axeViolations(page), []);
  await form.scrollIntoViewIfNeeded();
  await screenshot(page, 'workbench-close-task');
  assert.equal(await list.closeTask(confirmed, { reasons: ['Price'] }), 'Task done: done');
  assert.equal(await list.closeTask(rejected, { dismiss: true, outcome: 'still ordering by phone' }), 'Task dismissed: still ordering by phone');

  // The API agrees: the confirmed customer is lost, the rejected one as it
  // was, and none of the three tasks is open.
  assert.equal(await statusOf(confirmed), 'lost');
  assert.equal(await statusOf(rejected), rejectedStatus);
  const open = new Set((await tasks()).map((r) => r.task_id));
  for (const row of [todo, confirmed, rejected]) assert.ok(!open.has(row.task_id), `task ${row.task_id} closed`);
  // The one failed request is the loss without reasons.
  assert.deepEqual(page.errors.filter((e) => !e.includes('status of 400')), []);
  assert.equal(page.errors.length, 1);
  await page.context().close();

  // On a phone the form's fields stack.
  const phone = await env.loggedIn('sales', 375);
  await new WorkbenchPage(phone, env.server.url).openList('playbook_tasks');
  await new ListPage(phone).closeTask(unanswered, { lostType: 'negligence', reasons: ['No contact'] }, false);
  assert.deepEqual(await axeViolations(phone), []);
  await phone.getByRole('form', { name: `Close the task for ${unanswered.name}` }).scrollIntoViewIfNeeded();
  await screenshot(phone, 'workbench-close-task');
  await phone.context().close();
});

test("another salesperson's customer is not yours, in the page and in the API", async () => {
  const token = await apiLogin(env.server.url, env.server.logins.sales);
  const admin = await apiLogin(env.server.url, 'admin');
  const me = await apiGet(env.server.url, token, '/me');
  const others = await apiGet(env.server.url, admin, '/customers?limit=200');
  const theirs = others.items.find((c) => c.owner_id !== null && c.owner_id !== me.user.id);
  assert.ok(theirs, "another salesperson's customer");
  const refused = await fetch(`${env.server.url}/api/v1/customers/${theirs.id}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(refused.status, 404);

  for (const width of [1280, 375]) {
    const page = await env.loggedIn('sales', width);
    const customer = new CustomerPage(page, env.server.url);
    await customer.open(theirs.id);
    assert.equal(await customer.title(), 'Not yours');
    assert.doesNotMatch(await page.locator('main').textContent(), new RegExp(theirs.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'not-yours');
    await page.context().close();
  }
});

test('an edit saved on a stale version says who changed what and keeps what was typed', async () => {
  const token = await apiLogin(env.server.url, env.server.logins.sales);
  const manager = await apiLogin(env.server.url, env.server.logins.manager);
  const mine = (await apiGet(env.server.url, token, '/customers?limit=1&status=active')).items[0];
  const page = await env.loggedIn('sales');
  const customer = new CustomerPage(page, env.server.url);
  await customer.open(mine.id);
  const form = await customer.startEdit();
  await form.getByLabel('Phone').fill('+86 10 5555 0101');
  await form.getByLabel('Notes').fill('Prefers calls after 3 pm');

  // Meanwhile the manager moves the customer to another city.
  const changed = await apiSend('PATCH', `/customers/${mine.id}`, manager, { city: 'Harbin', version: mine.version });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));

  await form.getByRole('button', { name: 'Save' }).click();
  const conflict = page.locator('.conflict');
  await conflict.waitFor();
  assert.ok((await conflict.textContent()).includes(`${env.server.logins.manager} changed city from “${mine.city ?? '(empty)'}” to “Harbin”`), await conflict.textContent());
  assert.equal(await form.getByLabel('Phone').inputValue(), '+86 10 5555 0101');
  assert.equal(await form.getByLabel('Notes').inputValue(), 'Prefers calls after 3 pm');
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'customer-conflict');

  // Saving again puts the typed fields over the newer version and keeps the
  // manager's city.
  await form.getByRole('button', { name: 'Save mine over it' }).click();
  await page.locator('.toolbar .saved', { hasText: 'Saved' }).waitFor();
  const stored = await apiGet(env.server.url, token, `/customers/${mine.id}`);
  assert.equal(stored.phone, '+86 10 5555 0101');
  assert.equal(stored.notes, 'Prefers calls after 3 pm');
  assert.equal(stored.city, 'Harbin');
  assert.deepEqual(page.errors.filter((e) => !e.includes('409')), []);
  await page.context().close();
});

for (const width of [1280, 375]) {
  test(`at ${width} px a manager filters and pages the customers, downloads the filter and reassigns two`, async () => {
    const token = await apiLogin(env.server.url, env.server.logins.manager);
    const page = await env.loggedIn('manager', width);
    await page.getByRole('link', { name: 'Customers' }).first().click();
    await page.waitForURL((url) => url.pathname === '/customers');
    await page.locator('details.filters summary').click(); // closed while no filter is set
    await page.getByLabel('Status').selectOption('active');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'active');
    if (width >= 640) {
      await page.getByRole('button', { name: /^Sales/ }).click();
      await page.waitForURL((url) => url.searchParams.get('sort') === '-cumulative_sales');
    } else {
      await page.goto(`${env.server.url}/customers?status=active&sort=-cumulative_sales`);
    }
    const names = () => page.locator('table.customers-table tbody td.name-cell a').allTextContents();
    // The table shows exactly these names once it is drawn (waiting for the
    // first row alone would pass on a page that starts like the one before).
    const shows = async (expected) => {
      const drawn = (want) => JSON.stringify([...document.querySelectorAll('table.customers-table tbody td.name-cell a')].map((a) => a.textContent)) === JSON.stringify(want);
      await page.waitForFunction(drawn, expected).catch(() => {}); // the assertion below says what differs
      assert.deepEqual(await names(), expected);
    };
    await page.locator('table.customers-table tbody td.name-cell a').first().waitFor();
    const expected = await apiGet(env.server.url, token, '/customers?status=active&sort=-cumulative_sales&limit=50');
    assert.deepEqual(await names(), expected.items.map((c) => c.name));
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'customers');

    // The next page is the API's next page, and its URL can be pasted.
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.waitForURL((url) => url.searchParams.get('after') === expected.next_cursor);
    const second = await apiGet(env.server.url, token, `/customers?status=active&sort=-cumulative_sales&limit=50&after=${encodeURIComponent(expected.next_cursor)}`);
    await shows(second.items.map((c) => c.name));

    // The download is the whole filter.
    const href = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
    const csv = await page.request.get(`${env.server.url}${href}`);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'], /^text\/csv/);
    assert.ok(Number(csv.headers()['x-rows']) > 50);

    // Two customers of the page to another salesperson of the team.
    const users = (await apiGet(env.server.url, token, '/users?limit=500')).items;
    const me = await apiGet(env.server.url, token, '/me');
    const [a, b] = second.items;
    const receiver = users.find((u) => u.role === 'sales' && u.active && u.team_id === me.scope.team_id && u.id !== a.owner_id && u.id !== b.owner_id);
    await page.getByRole('checkbox', { name: `Select ${a.name}` }).check();
    await page.getByRole('checkbox', { name: `Select ${b.name}` }).check();
    await page.getByLabel('Reassign to').selectOption(receiver.username);
    await page.getByRole('button', { name: 'Reassign' }).click();
    await page.locator('.saved', { hasText: `2 customers reassigned to ${receiver.username}` }).waitFor();
    for (const c of [a, b]) {
      const moved = await apiGet(env.server.url, token, `/customers/${c.id}`);
      assert.equal(moved.owner_id, String(receiver.id));
      const history = await apiGet(env.server.url, token, `/ownership_changes?customer_id=${c.id}`);
      assert.ok(history.items.some((h) => h.to_user_id === receiver.id && h.reason === 'reassigned'));
    }

    // The team's likeliest buyers first: the table's order is the API's, every row scored.
    if (width >= 640) {
      await page.goto(`${env.server.url}/customers?status=active`);
      await page.locator('table.customers-table tbody td.name-cell a').first().waitFor();
      await page.getByRole('button', { name: /^P\(alive\)/ }).click();
      await page.waitForURL((url) => url.searchParams.get('sort') === '-p_alive');
      const likeliest = await apiGet(env.server.url, token, '/customers?status=active&sort=-p_alive&limit=50');
      await shows(likeliest.items.map((c) => c.name));
      const shown = await page.locator('table.customers-table tbody td[data-label="P(alive)"]').allTextContents();
      assert.deepEqual(shown, likeliest.items.map((c) => `${Math.round(c.p_alive * 100)} %`));
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('the login page of a demo company lists its logins, and a choice fills the form', async () => {
  const page = await newPage(env.browser);
  const login = new LoginPage(page, env.server.url);
  await login.open();
  const demo = await (await fetch(`${env.server.url}/api/v1/demo-logins`)).json();
  assert.equal(demo.demo, true);
  const listed = page.locator('.demo-logins li button');
  await listed.first().waitFor();
  assert.deepEqual(await listed.allTextContents(), demo.users.map((u) => u.username));
  await listed.nth(2).click();
  assert.equal(await page.locator('#username').inputValue(), demo.users[2].username);
  await page.context().close();
});
