// A real `tenure serve` for the end-to-end tests: a demo company in a fresh
// folder, one login per role, the server on 127.0.0.1 and a free port,
// serving the built web app. Stopped (SIGTERM) by stop().
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const password = 'tenure-e2e-password';

function tenure(binary, args, input) {
  return execFileSync(binary, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

export async function startServer({ binary, web, customers = 2000 }) {
  const dir = mkdtempSync(join(tmpdir(), 'tenure-e2e-'));
  const db = join(dir, 'e2e.db');
  tenure(binary, ['demo', '--customers', String(customers), '--seed', '1', '--db', db]);
  tenure(binary, ['score', '--db', db]); // P(alive), CLV and next purchase, as `make run` has them
  tenure(binary, ['user', 'passwd', 'admin', '--password-stdin', '--db', db], `${password}\n`);

  const child = spawn(binary, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', web], { stdio: ['ignore', 'pipe', 'inherit'] });
  const banner = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`tenure serve ended (${code}) before it served`)));
  });
  const port = Number(/http:\/\/127\.0\.0\.1:(\d+)\//.exec(banner)?.[1]);
  if (!port) throw new Error(`no port in the banner: ${banner}`);
  const url = `http://127.0.0.1:${port}`;

  // One user of each role: the first active one the API lists.
  const admin = await apiLogin(url, 'admin');
  const users = await (await fetch(`${url}/api/v1/users?limit=500`, { headers: { Authorization: `Bearer ${admin}` } })).json();
  const logins = { admin: 'admin' };
  for (const role of ['manager', 'sales', 'service']) {
    const user = users.items.find((u) => u.role === role && u.active && u.username !== 'admin');
    if (!user) throw new Error(`the demo has no active ${role}`);
    tenure(binary, ['user', 'passwd', user.username, '--password-stdin', '--db', db], `${password}\n`);
    logins[role] = user.username;
  }

  return {
    url,
    db,
    logins,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A bearer token for `username`, for checking what the API says beside what
// the page shows.
export async function apiLogin(url, username) {
  const response = await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!response.ok) throw new Error(`login of ${username}: ${response.status} ${await response.text()}`);
  return (await response.json()).token;
}

export async function apiGet(url, token, path) {
  const response = await fetch(`${url}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}
