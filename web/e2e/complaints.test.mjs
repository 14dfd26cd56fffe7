// A service agent's board: complaints by status with their deadlines and the
// overdue ones marked as the complaint report counts them; a complaint
// resolved with its resolution leaves the open column, and the API has it;
// a move on a complaint someone changed meanwhile is refused and said, and
// the typed resolution stays. A salesperson sees the board but no moves.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axeViolations, focusIs, screenshot } from './support/browser.mjs';
import { apiGet, apiLogin } from './support/server.mjs';
import { setUp } from './support/setup.mjs';
import { ComplaintsPage } from './pages/complaints_page.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.tearDown();
});

async function apiPost(token, path, body) {
  const response = await fetch(`${env.server.url}/api/v1${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

// The open and in-progress complaints the API lists for the token's user
// that were opened before now (the demo opens some later today, and a
// resolution cannot come before the opening).
const unresolved = async (token) =>
  [
    ...(await apiGet(env.server.url, token, '/complaints?status=open&limit=1000')).items,
    ...(await apiGet(env.server.url, token, '/complaints?status=in_progress&limit=1000')).items,
  ].filter((c) => Date.parse(c.opened_at) < Date.now());

for (const width of [1280, 375]) {
  test(`at ${width} px a service agent resolves a complaint and it leaves the open column`, async () => {
    const token = await apiLogin(env.server.url, env.server.logins.service);
    const page = await env.loggedIn('service', width);
    // The board from the menu.
    if (width < 640) await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Complaints' }).click();
    else await page.getByRole('link', { name: 'Complaints' }).click();
    await page.waitForURL((url) => url.pathname === '/complaints');
    const board = new ComplaintsPage(page, env.server.url);
    await board.loaded({ deadlines: true });

    // The columns hold what the API lists for this agent, and the overdue
    // marks are as many as the complaint report counts.
    const open = (await apiGet(env.server.url, token, '/complaints?status=open&limit=1000')).items;
    assert.deepEqual((await board.ids('open')).sort((a, b) => a - b), open.map((c) => c.id).sort((a, b) => a - b));
    assert.equal(await board.count('open'), String(open.length));
    const report = await apiGet(env.server.url, token, '/reports/complaints');
    assert.equal((await board.overdueIds()).length, report.open.overdue);
    assert.deepEqual(await axeViolations(page), []);
    // Nothing wider than the screen: at 375 px the columns stack.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
    await screenshot(page, 'complaints-board');

    // One of the agent's own complaints that is not resolved yet.
    const complaint = (await unresolved(token)).find((c) => c.assignee_id !== null);
    assert.ok(complaint, 'an open or in-progress complaint');
    const from = complaint.status;
    const resolution = `Replaced the part, checked on the phone (${width})`;
    await board.resolve(complaint.id, { resolution, satisfaction: 4 }, false);
    assert.deepEqual(await axeViolations(page), []);
    await board.card(complaint.id).scrollIntoViewIfNeeded();
    await screenshot(page, 'complaints-resolve');
    await board.card(complaint.id).getByRole('button', { name: 'Resolve', exact: true }).click();
    await board.column('resolved').locator(`article.complaint[data-id="${complaint.id}"]`).waitFor();
    assert.ok(!(await board.ids(from)).includes(complaint.id), `it left the ${from} column`);
    assert.match(await board.said(), /resolved\.$/);
    // The focus followed the card.
    assert.ok(await focusIs(page, `[data-id="${complaint.id}"]`), 'the focus is on the moved card');

    // The API agrees.
    const now = await apiGet(env.server.url, token, `/complaints/${complaint.id}`);
    assert.equal(now.status, 'resolved');
    assert.equal(now.resolution, resolution);
    assert.equal(now.satisfaction, 4);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('a move on a complaint changed meanwhile is refused, said, and what was typed stays', async () => {
  const token = await apiLogin(env.server.url, env.server.logins.service);
  const page = await env.loggedIn('service', 1280);
  const board = new ComplaintsPage(page, env.server.url);
  await board.open();
  const complaint = (await unresolved(token))[0];
  assert.ok(complaint, 'an open or in-progress complaint');
  await board.resolve(complaint.id, { resolution: 'keep this text' }, false);
  // Someone else moves it first.
  const other = complaint.status === 'open' ? 'in_progress' : 'open';
  await apiPost(token, `/complaints/${complaint.id}/status`, { status: other, version: complaint.version });
  await board.card(complaint.id).getByLabel("Customer's satisfaction").selectOption('3');
  await board.card(complaint.id).getByRole('button', { name: 'Resolve', exact: true }).click();
  const card = board.column(other).locator(`article.complaint[data-id="${complaint.id}"]`);
  // Read again: now in the other column, with the conflict said and the text kept.
  await card.waitFor();
  assert.match(await card.locator('.form-error').textContent(), /version/);
  assert.equal(await card.getByLabel('Resolution').inputValue(), 'keep this text');
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, 'complaints-conflict');
  // Resolving again now works.
  await card.getByRole('button', { name: 'Resolve', exact: true }).click();
  await board.column('resolved').locator(`article.complaint[data-id="${complaint.id}"]`).waitFor();
  assert.equal((await apiGet(env.server.url, token, `/complaints/${complaint.id}`)).resolution, 'keep this text');
  // The browser logs the refused move itself; nothing else went wrong.
  assert.deepEqual(page.errors.filter((e) => !e.includes('status of 409')), []);
  await page.context().close();
});

test('an error of the API stays next to its field', async () => {
  const token = await apiLogin(env.server.url, env.server.logins.service);
  const page = await env.loggedIn('service', 1280);
  const board = new ComplaintsPage(page, env.server.url);
  await board.open();
  const complaint = (await unresolved(token))[0];
  // No satisfaction chosen: the API names the field.
  await board.resolve(complaint.id, { resolution: 'called back' });
  const error = board.card(complaint.id).locator('.field-error');
  await error.waitFor();
  assert.match(await error.textContent(), /1 to 5/);
  assert.equal(await error.getAttribute('id'), await board.card(complaint.id).getByLabel("Customer's satisfaction").getAttribute('aria-describedby'));
  assert.equal(await board.card(complaint.id).getByLabel('Resolution').inputValue(), 'called back');
  await page.context().close();
});

test('a filtered board is a link, and a salesperson is offered no moves', async () => {
  const token = await apiLogin(env.server.url, env.server.logins.sales);
  const all = (await apiGet(env.server.url, token, '/complaints?limit=1000')).items;
  assert.ok(all.length > 0, 'the salesperson has complaints');
  const category = all[0].category;
  const page = await env.loggedIn('sales', 1280);
  const board = new ComplaintsPage(page, env.server.url);
  await board.open(`?category=${encodeURIComponent(category)}`);
  const shown = [];
  for (const status of ['open', 'in_progress', 'resolved', 'closed']) shown.push(...(await board.ids(status)));
  const expected = all.filter((c) => c.category === category).map((c) => c.id);
  assert.deepEqual(shown.sort((a, b) => a - b), expected.sort((a, b) => a - b));
  assert.equal(await page.getByLabel('Category').inputValue(), category);
  // The API's x-roles give moves to admin, manager and service only.
  assert.equal(await page.locator('.complaint-actions').count(), 0);
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
