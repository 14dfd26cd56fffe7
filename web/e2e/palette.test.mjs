// A salesperson finds a customer from anywhere: Ctrl+K, the customer's
// phone, the arrows and Enter open the customer; "/" opens the search too;
// Esc closes it and gives the focus back; the pages are found by name.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axeViolations, focusIs, screenshot } from './support/browser.mjs';
import { apiGet, apiLogin } from './support/server.mjs';
import { setUp } from './support/setup.mjs';
import { CommandPalette } from './pages/command_palette.mjs';
import { WorkbenchPage } from './pages/workbench_page.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.tearDown();
});

async function logIn(width) {
  const page = await env.loggedIn('sales', width);
  await new WorkbenchPage(page, env.server.url).loaded();
  return page;
}

for (const width of [1280, 375]) {
  test(`at ${width} px a salesperson finds a customer by phone with Ctrl+K and opens it`, async () => {
    const token = await apiLogin(env.server.url, env.server.logins.sales);
    const { items } = await apiGet(env.server.url, token, '/customers?limit=50');
    const customer = items.find((c) => c.phone);
    assert.ok(customer, 'one of the salesperson’s customers has a phone');

    const page = await logIn(width);
    const palette = new CommandPalette(page);
    await palette.openWithKeys();
    assert.ok(await focusIs(page, '#palette-input'), 'the search has the focus');
    await palette.search(customer.phone);
    assert.ok((await palette.optionNames()).includes(customer.name), `${customer.name} is found by ${customer.phone}`);
    assert.deepEqual(await axeViolations(page), []);
    assert.ok(await page.evaluate(() => document.querySelector('dialog').scrollWidth <= window.innerWidth), 'the palette fits the screen');
    await screenshot(page, 'palette');
    await palette.openByKeys(customer.name);
    await page.waitForURL((url) => url.pathname === `/customers/${customer.id}`);
    assert.equal(await palette.isOpen(), false);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('"/" opens the search, Esc closes it and gives the focus back, and pages are found by name', async () => {
  const page = await logIn(1280);
  const palette = new CommandPalette(page);
  // From the button in the top bar, by keyboard.
  const button = page.getByRole('button', { name: /Search/ });
  await button.focus();
  await page.keyboard.press('Enter');
  await palette.dialog.waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.keyboard.press('Escape');
  await palette.dialog.waitFor({ state: 'hidden' });
  assert.ok(await focusIs(page, '[aria-haspopup="dialog"]'), 'the focus is back on the search button');

  // "/" outside a text field opens it with the search focused.
  await page.locator('h1').click();
  await page.keyboard.press('/');
  await palette.dialog.waitFor();
  assert.ok(await focusIs(page, '#palette-input'), 'the search has the focus');
  await palette.search('complaints');
  assert.equal(await palette.activeName(), 'Complaints');
  await screenshot(page, 'palette-pages');
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === '/complaints');
  // The board is loaded (its chunk comes when first opened) before the keys.
  await page.getByRole('heading', { name: 'Complaints', level: 1 }).waitFor();

  // In a text field "/" is only a character.
  await palette.openWithKeys();
  await page.keyboard.type('a/b');
  assert.equal(await palette.input.inputValue(), 'a/b');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
