// What every end-to-end file starts from: a served demo company and a
// browser. TENURE_BINARY names the `tenure` to run, TENURE_WEB the built web
// app (ctest sets both; see web/CMakeLists.txt).
import { startServer } from './server.mjs';
import { launch } from './browser.mjs';

export async function setUp() {
  const binary = process.env.TENURE_BINARY;
  const web = process.env.TENURE_WEB;
  if (!binary || !web) throw new Error('set TENURE_BINARY and TENURE_WEB (ctest does)');
  const server = await startServer({ binary, web });
  const browser = await launch();
  return {
    server,
    browser,
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
