// Where to go after logging in: the page the user was on, carried in the
// login page's `next` parameter. Only a path of this site is taken, so a
// link to the login page cannot send the user elsewhere.
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login')) return '/';
  return next;
}

export function loginUrl(current: string): string {
  return current === '/' || current.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(current)}`;
}
