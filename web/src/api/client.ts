// The one way the web app talks to the server: JSON over fetch to /api/v1,
// with the session cookie (set by POST /login, HttpOnly) and, on every write,
// the session's anti-forgery token in X-CSRF-Token (docs/api.md, "Sessions").
// An error answer becomes an ApiError carrying the API's code, message and
// field, so a form can show it next to the field it names.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;

  constructor(status: number, code: string, message: string, field: string | null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

let csrfToken = '';
let onUnauthenticated: (() => void) | null = null;

// The token the server gave with the login or GET /me.
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

// Called when an answer says the session has ended (401), except for the
// login itself: the app sends the user to the login page.
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

// A query string from the defined values of `params`.
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check the connection and try again.', null);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(response.status, 'bad_response', `The server answered ${response.status} with something that is not JSON.`, null);
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; field?: string | null } } | null)?.error;
    if (response.status === 401 && path !== '/login') onUnauthenticated?.();
    throw new ApiError(
      response.status,
      error?.code ?? 'error',
      error?.message ?? `The server answered ${response.status}.`,
      error?.field ?? null,
    );
  }
  return json as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
};
