// The frame around every page behind the login: the app's name, the pages,
// who is logged in, and logging out.
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useMe, useSession } from '../session';
import { CommandPalette } from './command_palette';

const pages = [
  { href: '/', label: 'Workbench' },
  { href: '/customers', label: 'Customers' },
  { href: '/complaints', label: 'Complaints' },
];

export function Shell({ children }: { children: ComponentChildren }) {
  const me = useMe();
  const { logout } = useSession();
  const { path } = useLocation();
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="/">
          Tenure
        </a>
        <nav aria-label="Pages">
          {pages.map((page) => (
            <a
              key={page.href}
              href={page.href}
              aria-current={path === page.href || (page.href === '/' ? path.startsWith('/workbench') : path.startsWith(`${page.href}/`)) ? 'page' : undefined}
            >
              {page.label}
            </a>
          ))}
        </nav>
        <CommandPalette />
        <div class="who">
          <span class="who-name">
            {me.user.username} <span class="role">{me.user.role}</span>
            {me.scope.team ? <span class="team"> · {me.scope.team}</span> : null}
          </span>
          <button type="button" class="link logout" onClick={() => void logout()}>
            Log out
          </button>
        </div>
      </header>
      <main id="main">{children}</main>
    </div>
  );
}
