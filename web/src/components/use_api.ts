// Loads an API answer for a page: the data, or the error, while it loads.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';

export type Loaded<T> = { state: 'loading' } | { state: 'done'; data: T } | { state: 'failed'; error: unknown };

export function useApi<T>(path: string, reload = 0): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    api.get<T>(path).then(
      (data) => current && setLoaded({ state: 'done', data }),
      (error: unknown) => current && setLoaded({ state: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [path, reload]);
  return loaded;
}
