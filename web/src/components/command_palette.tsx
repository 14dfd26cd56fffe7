// The command palette: Ctrl+K (Cmd+K on a Mac), "/" or the Search button
// in the top bar open it; it finds a customer by name, phone, e-mail or
// contact (GET /customers?q=, searched on the server) and any page of the
// app, and opens what is chosen. A modal <dialog> traps the focus, closes on
// Esc and gives the focus back; the search box and its results follow the
// ARIA combobox pattern (the focus stays in the box, the arrows move the
// active option, Enter opens it). The keys' decisions are in lib/palette.ts.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, api, query } from '../api/client';
import type { CustomerPage, CustomerRow, Workbench } from '../api/types';
import { type PageEntry, appPages, globalKey, isTextField, listTitle, matchPages, nextActive } from '../lib/palette';
import { groups } from '../pages/workbench/lists';
import './command_palette.css';

// What a customer found shows (a row of GET /customers).
type CustomerHit = Pick<CustomerRow, 'id' | 'name' | 'external_id' | 'city' | 'phone'>;

type Option = { kind: 'customer'; href: string; customer: CustomerHit } | { kind: 'page'; href: string; page: PageEntry };

// How long typing must pause before the server is asked.
const debounceMs = 150;
const maxCustomers = 8;

// The workbench lists' titles as the API gives them, read once when the
// palette is first opened; until then, titles made from their names.
let listTitles: Promise<{ name: string; title: string }[]> | null = null;

function useListTitles(): { name: string; title: string }[] {
  const fallback = useMemo(() => groups.flatMap((g) => g.lists).map((name) => ({ name, title: listTitle(name) })), []);
  const [lists, setLists] = useState(fallback);
  useEffect(() => {
    listTitles ??= api.get<Workbench>(`/workbench${query({ page_size: 0 })}`).then(
      (w) => w.lists.map((l) => ({ name: l.name, title: l.title })),
      () => fallback,
    );
    let current = true;
    void listTitles.then((l) => current && setLists(l));
    return () => {
      current = false;
    };
  }, []);
  return lists;
}

// No text, no hits: one array, so effects on the hits do not run on every render.
const noHits: CustomerHit[] = [];

// The customers whose name, phone, e-mail or contact holds `text`, asked for
// once typing pauses; answers to older text are dropped. It is searching from
// the render that shows new text until its answer comes (the status never
// says "no customer" for text not asked about yet).
function useCustomerSearch(text: string): { hits: CustomerHit[]; searching: boolean; error: string | null } {
  const q = text.trim();
  const [answer, setAnswer] = useState<{ q: string; hits: CustomerHit[]; error: string | null }>({ q: '', hits: [], error: null });
  useEffect(() => {
    if (!q) return;
    let current = true;
    const timer = setTimeout(() => {
      api.get<CustomerPage>(`/customers${query({ q, limit: maxCustomers })}`).then(
        (page) => current && setAnswer({ q, hits: page.items, error: null }),
        (e: unknown) => current && setAnswer({ q, hits: [], error: e instanceof ApiError ? e.message : 'The search failed.' }),
      );
    }, debounceMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [q]);
  if (!q) return { hits: noHits, searching: false, error: null };
  return { hits: answer.hits, searching: answer.q !== q, error: answer.q === q ? answer.error : null };
}

function PaletteDialog({ onClose }: { onClose: () => void }) {
  const location = useLocation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [active, setActive] = useState(-1);
  const lists = useListTitles();
  const search = useCustomerSearch(text);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    document.getElementById('palette-input')?.focus();
  }, []);

  const pages = matchPages(appPages(lists), text);
  const options: Option[] = [
    ...search.hits.map((customer) => ({ kind: 'customer' as const, href: `/customers/${customer.id}`, customer })),
    ...pages.map((page) => ({ kind: 'page' as const, href: page.href, page })),
  ];
  // A new answer starts again at its first option.
  useEffect(() => setActive(text.trim() ? 0 : -1), [text, search.hits]);
  const current = active >= 0 && active < options.length ? active : -1;

  const choose = (option: Option) => {
    dialog.current?.close();
    location.route(option.href);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const next = nextActive(current, options.length, event.key);
    if (next !== null && (event.key === 'ArrowDown' || event.key === 'ArrowUp' || event.ctrlKey || !text)) {
      event.preventDefault();
      setActive(next);
      document.getElementById(`palette-option-${next}`)?.scrollIntoView({ block: 'nearest' });
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const option = options[current] ?? options[0];
      if (option) choose(option);
    }
  };

  const customers = options.filter((o) => o.kind === 'customer');
  const status = !text.trim()
    ? 'Type a name, phone, e-mail or contact, or the name of a page.'
    : search.searching
      ? 'Searching…'
      : search.error
        ? search.error
        : `${customers.length === 0 ? 'No customer' : customers.length === maxCustomers ? `The first ${maxCustomers} customers` : customers.length === 1 ? '1 customer' : `${customers.length} customers`}, ${pages.length === 1 ? '1 page' : `${pages.length} pages`}.`;

  let index = -1;
  const option = (o: Option) => {
    index++;
    const i = index;
    return (
      <li key={o.href} id={`palette-option-${i}`} role="option" aria-selected={i === current} class="palette-option" onClick={() => choose(o)} onMouseMove={() => i !== current && setActive(i)}>
        {o.kind === 'customer' ? (
          <>
            <span class="palette-name">{o.customer.name}</span>
            <span class="palette-detail">{[o.customer.external_id, o.customer.city, o.customer.phone].filter(Boolean).join(' · ')}</span>
          </>
        ) : (
          <>
            <span class="palette-name">{o.page.label}</span>
            <span class="palette-detail">{o.page.group}</span>
          </>
        )}
      </li>
    );
  };

  return (
    <dialog ref={dialog} class="palette" aria-labelledby="palette-title" onClose={onClose}>
      <div class="palette-head">
        <h2 id="palette-title">Search</h2>
        <button type="button" class="link" onClick={() => dialog.current?.close()}>
          Close <span class="muted">(Esc)</span>
        </button>
      </div>
      <label for="palette-input" class="visually-hidden">
        Customer or page
      </label>
      <input
        id="palette-input"
        type="text"
        role="combobox"
        autocomplete="off"
        spellcheck={false}
        placeholder="Name, phone, e-mail, contact or page"
        aria-expanded={options.length > 0}
        aria-controls="palette-results"
        aria-autocomplete="list"
        aria-activedescendant={current >= 0 ? `palette-option-${current}` : undefined}
        aria-describedby="palette-status"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        autofocus
      />
      <p id="palette-status" class="palette-status" role="status">
        {status}
      </p>
      <ul id="palette-results" role="listbox" aria-label="Customers and pages" class="palette-results">
        {customers.length > 0 ? (
          <li role="presentation" class="palette-group">
            <span class="palette-group-title" aria-hidden="true">
              Customers
            </span>
            <ul role="group" aria-label="Customers">
              {customers.map(option)}
            </ul>
          </li>
        ) : null}
        {pages.length > 0 ? (
          <li role="presentation" class="palette-group">
            <span class="palette-group-title" aria-hidden="true">
              Pages
            </span>
            <ul role="group" aria-label="Pages">
              {options.filter((o) => o.kind === 'page').map(option)}
            </ul>
          </li>
        ) : null}
      </ul>
    </dialog>
  );
}

// The Search button for the top bar, and the palette it opens; mounted once
// (in the shell), it also listens for the keys that open it.
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  // Where the focus was, to give it back when the palette closes.
  const before = useRef<HTMLElement | null>(null);

  const show = () => {
    if (open) {
      document.getElementById('palette-input')?.focus();
      return;
    }
    before.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setOpen(true);
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const wanted = globalKey(event, isTextField(event.target instanceof HTMLElement ? event.target : null));
      if (wanted === 'open') {
        event.preventDefault();
        show();
      } else if (wanted === 'search') {
        event.preventDefault();
        // A page's own search box first.
        const own = document.querySelector<HTMLElement>('[data-search]');
        if (own && !open) own.focus();
        else show();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <>
      <button type="button" class="palette-button" aria-haspopup="dialog" aria-keyshortcuts="Control+K Meta+K /" onClick={show}>
        Search <kbd>Ctrl+K</kbd>
      </button>
      {open ? (
        <PaletteDialog
          onClose={() => {
            setOpen(false);
            // After a page was opened the button is still there; focus it
            // only if the element the focus came from has gone.
            const back = before.current && before.current.isConnected ? before.current : null;
            back?.focus();
          }}
        />
      ) : null}
    </>
  );
}
