// Users by id, to write an owner or author id as a name. Every role may read
// the users (docs/api.md); the list, every page of it (a company of a
// million customers has thousands of users), is loaded once per page load
// and shared.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { UserPage, UserRecord } from '../api/types';

let loading: Promise<UserRecord[]> | null = null;

async function allUsers(): Promise<UserRecord[]> {
  const users: UserRecord[] = [];
  for (let after: number | null = 0; after !== null; ) {
    const page: UserPage = await api.get<UserPage>(`/users?limit=1000&after=${after}`);
    users.push(...page.items);
    after = page.next_after;
  }
  return users;
}

export function loadUsers(): Promise<UserRecord[]> {
  loading ??= allUsers().catch(
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

// The users, empty until they are loaded (or when they cannot be).
export function useUsers(): UserRecord[] {
  const [users, setUsers] = useState<UserRecord[]>([]);
  useEffect(() => {
    let current = true;
    loadUsers().then(
      (list) => current && setUsers(list),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);
  return users;
}

// A function writing a user id (number or text) as the username, "#id"
// while unknown.
export function userNamer(users: UserRecord[]): (id: unknown) => string {
  const byId = new Map(users.map((u) => [String(u.id), u.username]));
  return (id: unknown) => (id === null || id === undefined || id === '' ? '' : (byId.get(String(id)) ?? `#${String(id)}`));
}
