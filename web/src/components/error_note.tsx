import { ApiError } from '../api/client';

// An error a page could not get past, said plainly.
export function ErrorNote({ error }: { error: unknown }) {
  const message = error instanceof ApiError ? error.message : 'Something went wrong.';
  const title = error instanceof ApiError && error.status === 403 ? 'Not yours to see' : 'This could not be loaded';
  return (
    <div class="error-note" role="alert">
      <strong>{title}</strong>
      <p>{message}</p>
    </div>
  );
}

// A whole page while its data loads, or when it could not be loaded.
export function PageLoading() {
  return (
    <section class="page">
      <p class="loading" role="status">
        Loading…
      </p>
    </section>
  );
}

export function PageError({ error }: { error: unknown }) {
  return (
    <section class="page">
      <ErrorNote error={error} />
    </section>
  );
}
