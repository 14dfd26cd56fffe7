// The browser session: a write without the anti-forgery token is refused,
// logging out ends the session on the server, and a session that ends sends
// the user to the login page and back to where they were.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newPage } from './support/browser.mjs';
import { password } from './support/server.mjs';
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

async function loggedIn(role) {
  const page = await newPage(env.browser);
  const login = new LoginPage(page, env.server.url);
  await login.open('/');
  await login.logIn(env.server.logins[role], password);
  await new WorkbenchPage(page, env.server.url).loaded();
  return page;
}

test('the session cookie is HttpOnly and SameSite=Strict', async () => {
  const page = await loggedIn('sales');
  const [cookie] = await page.context().cookies();
  assert.equal(cookie.name, 'tenure_session');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie), '');
  await page.context().close();
});

test('a write without the anti-forgery token is refused; logout ends the session', async () => {
  const page = await loggedIn('sales');
  const status = await page.evaluate(async () => {
    const response = await fetch('/api/v1/activities', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ customer_id: 1, kind: 'call', occurred_at: '2026-01-01T00:00:00Z' }),
    });
    return { status: response.status, field: (await response.json()).error.field };
  });
  assert.deepEqual(status, { status: 403, field: 'X-CSRF-Token' });

  const [cookie] = await page.context().cookies();
  await new WorkbenchPage(page, env.server.url).logOut();
  const me = await fetch(`${env.server.url}/api/v1/me`, { headers: { Cookie: `${cookie.name}=${cookie.value}` } });
  assert.equal(me.status, 401);
  await page.context().close();
});

test('a session that ends sends the user to log in and back to the page', async () => {
  const page = await loggedIn('manager');
  const workbench = new WorkbenchPage(page, env.server.url);
  await workbench.openList('lost');
  await page.context().clearCookies();
  await page.getByRole('button', { name: 'Refresh the list' }).click();
  await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/workbench/lost');
  await new LoginPage(page, env.server.url).logIn(env.server.logins.manager, password);
  await page.waitForURL((url) => url.pathname === '/workbench/lost');
  await page.locator('h1', { hasText: 'Lost' }).waitFor();
  await page.context().close();
});

test('a page that does not exist says so', async () => {
  const page = await loggedIn('service');
  await page.goto(`${env.server.url}/no/such/page`);
  await page.locator('h1', { hasText: 'No such page' }).waitFor();
  await page.context().close();
});
