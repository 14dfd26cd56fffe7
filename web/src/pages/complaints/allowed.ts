// Which operations the logged-in role may use, as the API's own OpenAPI
// document says (`x-roles` of each operation; docs/api.md, "Who sees what").
// The board hides an action only when the document says the role may not
// take it; if the document cannot be read, everything stays shown and the
// server's 403 has the last word.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Role } from '../../api/types';

interface OpenApi {
  paths: Record<string, Record<string, { 'x-roles'?: string[] }>>;
}

// Read once per page load: the document only changes with the server.
let openApiDocument: Promise<OpenApi | null> | null = null;

function openApi(): Promise<OpenApi | null> {
  openApiDocument ??= api.get<OpenApi>('/openapi.json').catch(() => null);
  return openApiDocument;
}

// May `role` call `method path` ("post", "/complaints/{id}/resolve")?
export type Allowed = (method: string, path: string) => boolean;

// The check for `role`; null until the document has come.
export function useAllowed(role: Role): Allowed | null {
  const [allowed, setAllowed] = useState<Allowed | null>(null);
  useEffect(() => {
    let current = true;
    void openApi().then((doc) => {
      if (!current) return;
      setAllowed(() => (method: string, path: string) => {
        const roles = doc?.paths[path]?.[method.toLowerCase()]?.['x-roles'];
        return roles === undefined || roles.includes(role);
      });
    });
    return () => {
      current = false;
    };
  }, [role]);
  return allowed;
}
