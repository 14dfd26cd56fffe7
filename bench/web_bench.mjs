// The web app's speed in Debian's Chromium (playwright-core), against a
// running `tenure serve` (bench/web_bench.sh starts it on the
// 1,000,000-customer demo). Each figure is the median of RUNS navigations,
// from the request to the page showing its data, with beside it the time of
// the API requests the page makes, measured from Node in the same run.
//   node bench/web_bench.mjs URL PASSWORD SALES MANAGER ADMIN CUSTOMER_ID
// Prints one JSON object.
import { chromium } from '../web/node_modules/playwright-core/index.mjs';

const [url, password, sales, manager, admin, customerId] = process.argv.slice(2);
const runs = 7;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (start) => Number((performance.now() - start).toFixed(1));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function token(user) {
  const r = await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password }) });
  return (await r.json()).token;
}

// The median time of GET `paths` one after another, as the page asks them.
async function apiTime(user, paths) {
  const t = await token(user);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    for (const path of paths) {
      const r = await fetch(`${url}/api/v1${path}`, { headers: { Authorization: `Bearer ${t}` } });
      await r.arrayBuffer();
    }
    times.push(ms(start));
  }
  return median(times);
}

async function loggedIn(user) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.locator('#username').fill(user);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.locator('.card').first().waitFor({ timeout: 120000 });
  return page;
}

// JavaScript the browser loads (bytes on the wire) before the login page
// shows, and up to the workbench after logging in.
async function javascript() {
  const context = await browser.newContext();
  const page = await context.newPage();
  let bytes = 0;
  page.on('response', async (r) => {
    if (!r.url().endsWith('.js')) return;
    const size = Number((await r.allHeaders())['content-length'] ?? (await r.body()).length);
    bytes += size;
  });
  await page.goto(`${url}/`);
  await page.locator('#username').waitFor();
  await page.waitForLoadState('networkidle');
  const login = bytes;
  await page.locator('#username').fill(sales);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('.card').first().waitFor({ timeout: 120000 });
  await page.waitForLoadState('networkidle');
  const workbench = bytes;
  await context.close();
  return { login_kb: Number((login / 1024).toFixed(1)), workbench_kb: Number((workbench / 1024).toFixed(1)) };
}

// Navigation to the workbench until every card has its count.
async function workbench(user) {
  const page = await loggedIn(user);
  const times = [];
  for (let i = 0; i < runs; i++) {
    await page.goto('about:blank');
    const start = performance.now();
    await page.goto(`${url}/`);
    await page.waitForFunction(() => document.querySelectorAll('.card .card-count').length >= 20 && !document.querySelector('.loading'), null, { timeout: 120000 });
    times.push(ms(start));
  }
  const cards = await page.locator('.card').count();
  await page.context().close();
  return { page_ms: median(times), api_ms: await apiTime(user, ['/me', '/workbench?page_size=0']), cards };
}

// Navigation to a customer 360 until its timeline and credit file show.
async function customer(user, id) {
  const page = await loggedIn(user);
  const times = [];
  let events = 0;
  for (let i = 0; i < runs; i++) {
    await page.goto('about:blank');
    const start = performance.now();
    await page.goto(`${url}/customers/${id}`);
    await page.locator('.events .event').first().waitFor({ timeout: 60000 });
    await page.locator('.credit .rating').waitFor({ timeout: 60000 });
    times.push(ms(start));
    events = await page.locator('.events .event').count();
  }
  await page.context().close();
  return { page_ms: median(times), api_ms: await apiTime(user, ['/me', `/customers/${id}`, `/customers/${id}/credit`]), events };
}

// The customers table: "Next page" until the next page's rows show, page
// after page, over every customer sorted by sales and over a filter. Timed
// inside the page, from the click to the frame that shows the new rows, so
// the figure is what the user waits for, without Playwright's own round
// trips to the browser around a click.
async function nextPage(user, filter) {
  const page = await loggedIn(user);
  await page.goto(`${url}/customers?${filter}`);
  await page.locator('td.name-cell a').first().waitFor({ timeout: 60000 });
  const times = [];
  for (let i = 0; i < runs; i++) {
    const time = await page.evaluate(async () => {
      const before = document.querySelector('td.name-cell a')?.textContent;
      const next = [...document.querySelectorAll('button')].find((b) => b.textContent?.includes('Next page'));
      const start = performance.now();
      next.click();
      await new Promise((resolve) => {
        const shown = () => {
          const a = document.querySelector('td.name-cell a');
          if (a && a.textContent !== before && !document.querySelector('table[aria-busy="true"]')) resolve();
          else requestAnimationFrame(shown);
        };
        shown();
      });
      return performance.now() - start;
    });
    times.push(Number(time.toFixed(1)));
  }
  const after = new URL(page.url()).searchParams.get('after');
  await page.context().close();
  return { page_ms: median(times), api_ms: await apiTime(user, [`/customers?${filter}&limit=50&after=${encodeURIComponent(after)}`]) };
}

const result = {
  javascript: await javascript(),
  workbench_sales: await workbench(sales),
  workbench_manager: await workbench(manager),
  customer: await customer(admin, customerId),
  next_page_all: await nextPage(admin, 'sort=-cumulative_sales'),
  next_page_filtered: await nextPage(manager, 'status=active&sort=name'),
};
await browser.close();
console.log(JSON.stringify(result));
