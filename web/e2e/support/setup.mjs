// What every end-to-end file starts from: a served demo company and a
// browser. TENURE_BINARY names the `tenure` to run, TENURE_WEB the built web
// app (ctest sets both; see web/CMakeLists.txt).
import { password, startServer } from './server.mjs';
import { launch, newPage } from './browser.mjs';
import { LoginPage } from '../pages/login_page.mjs';

export async function setUp() {
  const binary = process.env.TENURE_BINARY;
  const web = process.env.TENURE_WEB;
  if (!binary || !web) throw new Error('set TENURE_BINARY and TENURE_WEB (ctest does)');
  const server = await startServer({ binary, web });
  const browser = await launch();
  return {
    server,
    browser,
    // A new page at `width` px, logged in as the demo's user of `role`, on
    // the workbench.
    async loggedIn(role, width = 1280) {
      const page = await newPage(browser, { width });
      const login = new LoginPage(page, server.url);
      await login.open('/');
      await login.logIn(server.logins[role], password);
      await page.waitForURL((url) => url.pathname === '/');
      return page;
    },
    async tearDown() {
      await browser.close();
      await server.stop();
    },
  };
}

// The day after `day` ("YYYY-MM-DD").
export function nextDay(day) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}
