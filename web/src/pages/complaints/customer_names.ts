// The names of the customers the board's cards name. GET /complaints gives
// only customer_id; the names come from GET /customers?ids=..., up to 100
// customers a request, and are kept for as long as the page is open.
import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../../api/client';
import type { CustomerPage } from '../../api/types';

export interface CustomerName {
  id: number;
  name: string;
  external_id: string;
}

const known = new Map<number, CustomerName>();
const wanted: number[] = [];
const asked = new Set<number>();
const listeners = new Set<() => void>();
let running = false;
const batch = 100;

function pump(): void {
  if (running || wanted.length === 0) return;
  const ids = wanted.splice(0, batch);
  running = true;
  api
    .get<CustomerPage>(`/customers${query({ ids: ids.join(','), limit: batch })}`)
    .then(
      (page) => {
        for (const c of page.items) known.set(c.id, { id: c.id, name: c.name, external_id: c.external_id ?? '' });
        listeners.forEach((listener) => listener());
      },
      // The cards keep their links by id; nothing else to do.
      () => undefined,
    )
    .finally(() => {
      running = false;
      pump();
    });
}

// id -> name of each of `ids` read so far; the rest are read and the
// component re-renders as they come.
export function useCustomerNames(ids: number[]): Map<number, CustomerName> {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((tick) => tick + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  const key = ids.join(',');
  useEffect(() => {
    for (const id of ids) {
      if (!asked.has(id)) {
        asked.add(id);
        wanted.push(id);
      }
    }
    pump();
  }, [key]);
  return known;
}
