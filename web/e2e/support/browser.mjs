// Debian's Chromium driven by playwright-core: headless, no sandbox (tests
// may run as root), a fresh profile each launch, and no background traffic
// (the machine reaches only loopback). Every page is checked for console
// errors (a CSP violation among them) and, with axe-core, for serious or
// critical accessibility violations; screenshots go to SCREENSHOTS.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const screenshots = process.env.TENURE_SCREENSHOTS ?? join(process.cwd(), 'screenshots');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A new browser context (its own cookies) at `width`, whose pages record
// their console errors in `errors`.
export async function newPage(browser, { width = 1280, height = 860 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (message) => {
    // A 401 is how the app learns nobody is logged in (GET /me first).
    if (message.type() === 'error' && !message.text().includes('status of 401')) page.errors.push(message.text());
  });
  page.on('pageerror', (error) => page.errors.push(String(error)));
  return page;
}

// The serious and critical axe-core violations of the page as it is now.
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol: the page's CSP still holds.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function screenshot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: join(screenshots, `${name}-${width}.png`) });
}

// Whether the element with the focus matches `selector`, once it does (the
// page may move the focus a frame after what the test waited for) or after
// 5 s.
export async function focusIs(page, selector) {
  await page.waitForFunction((s) => document.activeElement?.matches(s) ?? false, selector, { timeout: 5000 }).catch(() => {});
  return page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
}
