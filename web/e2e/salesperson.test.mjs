// A salesperson's day: open a list from its card, log a call with its
// outcome and the next contact tomorrow, and find the customer on
// tomorrow's card.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axeViolations, newPage, screenshot } from './support/browser.mjs';
import { apiGet, apiLogin, password } from './support/server.mjs';
import { nextDay, setUp } from './support/setup.mjs';
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

for (const width of [1280, 375]) {
  test(`at ${width} px a salesperson logs a call and finds the customer on tomorrow's card`, async () => {
    const username = env.server.logins.sales;
    const token = await apiLogin(env.server.url, username);
    const page = await newPage(env.browser, { width });
    const login = new LoginPage(page, env.server.url);
    await login.open('/');
    await login.logIn(username, password);
    const workbench = new WorkbenchPage(page, env.server.url);
    const before = await workbench.counts();
    const { as_of: today } = await apiGet(env.server.url, token, '/workbench?page_size=0');
    const tomorrow = nextDay(today);

    // A customer not yet due tomorrow: from the dormant list.
    const due = new Set((await apiGet(env.server.url, token, '/workbench/contact_tomorrow?page_size=500')).rows.map((r) => r.name));
    await workbench.openList('dormant');
    const list = new ListPage(page);
    const name = (await list.customerNames()).find((n) => !due.has(n));
    assert.ok(name, 'a dormant customer not due tomorrow');
    await list.logContact(name, { kind: 'call', outcome: 'effective', notes: 'asked about the spring order', followUp: tomorrow }, false);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'log-contact');
    await page.getByRole('button', { name: 'Save' }).click();
    const saved = list.row(name).locator('.saved');
    await saved.waitFor();
    assert.equal(await saved.textContent(), `call logged, next on ${tomorrow}`);

    await page.getByRole('link', { name: 'Workbench' }).first().click();
    const after = await workbench.counts();
    assert.equal(after.contact_tomorrow, before.contact_tomorrow + 1);
    await workbench.openList('contact_tomorrow');
    assert.ok((await list.customerNames()).includes(name), `${name} is on tomorrow's list`);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'list-contact-tomorrow');

    // The API agrees: the call is the customer's, by this salesperson.
    const activities = await apiGet(env.server.url, token, `/activities?kind=call&follow_up_on=${tomorrow}&limit=500`);
    assert.ok(activities.items.some((a) => a.notes === 'asked about the spring order' && a.outcome === 'effective'));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('an error the server gives stays next to the field and keeps what was typed', async () => {
  const page = await newPage(env.browser);
  const login = new LoginPage(page, env.server.url);
  await login.open('/');
  await login.logIn(env.server.logins.sales, password);
  const workbench = new WorkbenchPage(page, env.server.url);
  await workbench.loaded();
  await workbench.openList('dormant');
  const list = new ListPage(page);
  const [name] = await list.customerNames();
  // A year a date field takes and the API does not: it names follow_up_on.
  await list.logContact(name, { notes: 'keep me' }, false);
  await page.getByLabel('Next contact on').evaluate((input) => {
    input.value = '10000-01-01';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.getByRole('button', { name: 'Save' }).click();
  const error = page.locator('.log-contact .field-error');
  await error.waitFor();
  assert.equal(await error.getAttribute('id'), await page.getByLabel('Next contact on').getAttribute('aria-describedby'));
  assert.match(await error.textContent(), /not a date '10000-01-01'/);
  assert.equal(await page.getByLabel('Notes', { exact: true }).inputValue(), 'keep me');
  await screenshot(page, 'log-contact-error');
  await page.context().close();
});
