// Each role logs in and lands on its workbench, with the counts the API
// gives that user; every page passes axe-core and is photographed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axeViolations, newPage, screenshot } from './support/browser.mjs';
import { apiGet, apiLogin, password } from './support/server.mjs';
import { setUp } from './support/setup.mjs';
import { LoginPage } from './pages/login_page.mjs';
import { WorkbenchPage } from './pages/workbench_page.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.tearDown();
});

test('a visitor is sent to the login page, which says what went wrong', async () => {
  for (const width of [1280, 375]) {
    const page = await newPage(env.browser, { width });
    await page.goto(`${env.server.url}/workbench/lost`);
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/workbench/lost');
    const login = new LoginPage(page, env.server.url);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'login');
    await login.logIn(env.server.logins.sales, 'not the password');
    assert.match(await login.error(), /wrong username or password/);
    // What was typed stays.
    assert.equal(await page.locator('#username').inputValue(), env.server.logins.sales);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

for (const role of ['sales', 'manager', 'service', 'admin']) {
  test(`${role === 'admin' ? 'an' : 'a'} ${role} logs in and lands on their workbench with the API's counts`, async () => {
    const username = env.server.logins[role];
    const page = await newPage(env.browser);
    const login = new LoginPage(page, env.server.url);
    await login.open('/');
    await login.logIn(username, password);
    await page.waitForURL((url) => url.pathname === '/');
    const workbench = new WorkbenchPage(page, env.server.url);
    const shown = await workbench.counts();

    const token = await apiLogin(env.server.url, username);
    const expected = await apiGet(env.server.url, token, '/workbench?page_size=0');
    assert.deepEqual(shown, Object.fromEntries(expected.lists.map((list) => [list.name, list.count])));
    assert.match(await page.locator('.subtitle').first().textContent(), new RegExp(`as of ${expected.as_of}`));
    assert.equal(await page.locator('.who').textContent().then((t) => t.includes(username)), true);

    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, `workbench-${role}`);
    if (role === 'sales') {
      await page.setViewportSize({ width: 375, height: 800 });
      await screenshot(page, 'workbench-sales');
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('a manager picks another as-of date and the counts are those of that day', async () => {
  const username = env.server.logins.manager;
  const page = await newPage(env.browser);
  const login = new LoginPage(page, env.server.url);
  await login.open('/');
  await login.logIn(username, password);
  const workbench = new WorkbenchPage(page, env.server.url);
  await workbench.loaded();
  await page.getByLabel('As of').fill('2025-06-30');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL((url) => url.searchParams.get('as_of') === '2025-06-30');
  await page.locator('.subtitle', { hasText: 'as of 2025-06-30' }).waitFor();
  const shown = await workbench.counts();
  const token = await apiLogin(env.server.url, username);
  const expected = await apiGet(env.server.url, token, '/workbench?page_size=0&as_of=2025-06-30');
  assert.deepEqual(shown, Object.fromEntries(expected.lists.map((list) => [list.name, list.count])));
  await page.context().close();
});

test("a manager picks a salesperson and sees that salesperson's counts", async () => {
  const username = env.server.logins.manager;
  const page = await newPage(env.browser);
  const login = new LoginPage(page, env.server.url);
  await login.open('/');
  await login.logIn(username, password);
  const workbench = new WorkbenchPage(page, env.server.url);
  await workbench.loaded();
  const token = await apiLogin(env.server.url, username);
  const me = await apiGet(env.server.url, token, '/me');
  const member = (await apiGet(env.server.url, token, '/users?limit=500')).items.find((u) => u.role === 'sales' && u.active && u.team_id === me.scope.team_id);
  await page.getByLabel('Whose').selectOption(`user:${member.username}`);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL((url) => url.searchParams.get('user') === member.username);
  await page.locator('.subtitle', { hasText: `${member.username}'s customers` }).waitFor();
  const expected = await apiGet(env.server.url, token, `/workbench?page_size=0&user=${member.username}`);
  await page.waitForFunction((n) => document.querySelector('.card[data-list="contact_this_week"] .card-count')?.textContent.replace(/,/g, '') === String(n), expected.lists.find((l) => l.name === 'contact_this_week').count);
  assert.deepEqual(await workbench.counts(), Object.fromEntries(expected.lists.map((list) => [list.name, list.count])));
  // A list opened from a card is that salesperson's.
  await workbench.openList('overdue_to_buy');
  const list = await apiGet(env.server.url, token, `/workbench/overdue_to_buy?page_size=100&user=${member.username}`);
  assert.match(await page.locator('.subtitle').first().textContent(), new RegExp(`^${list.count.toLocaleString('en-US')} customers`));
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'workbench-manager-picks');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
