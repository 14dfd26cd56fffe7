// The command palette's decisions, kept apart from the DOM so they can be
// tested: which keys open it, how the arrow keys move through the results,
// and which of the app's pages a text finds. The customers it finds come
// from the API (GET /customers?q=), which searches names, phones, e-mails
// and contacts on the server.

// A page of the app the palette can open.
export interface PageEntry {
  href: string;
  label: string;
  // Where the page belongs, shown beside it ("Workbench list").
  group: string;
}

// What a key pressed anywhere in the app asks of the palette: `open` for
// Ctrl+K / Cmd+K (wherever the focus is), `search` for "/" outside a text
// field (a page's own search box, else the palette), nothing otherwise.
export function globalKey(
  event: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean },
  inTextField: boolean,
): 'open' | 'search' | null {
  if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') return 'open';
  if (event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !inTextField) return 'search';
  return null;
}

// Whether typing into `element` is typing text, so "/" belongs to it.
export function isTextField(element: { tagName: string; isContentEditable?: boolean; type?: string } | null): boolean {
  if (!element) return false;
  if (element.isContentEditable) return true;
  const tag = element.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag !== 'input') return false;
  // Buttons and boxes take no text.
  return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image'].includes(element.type ?? 'text');
}

// The option active after `key` in a list of `count` (the ARIA combobox
// pattern: the arrows move and wrap, Home and End jump); null when the key
// is not one that moves, or there is nothing to move to.
export function nextActive(active: number, count: number, key: string): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return active < 0 || active >= count - 1 ? 0 : active + 1;
    case 'ArrowUp':
      return active <= 0 ? count - 1 : active - 1;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

// "contact_today" as a title, for a list the API has not named yet.
export function listTitle(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// The app's pages: the workbench and its lists, the customers, the
// complaints.
export function appPages(lists: readonly { name: string; title: string }[]): PageEntry[] {
  return [
    { href: '/', label: 'Workbench', group: 'Page' },
    { href: '/customers', label: 'Customers', group: 'Page' },
    { href: '/complaints', label: 'Complaints', group: 'Page' },
    ...lists.map((list) => ({ href: `/workbench/${list.name}`, label: list.title, group: 'Workbench list' })),
  ];
}

// The pages whose label (or group) holds every word of `text`, ignoring
// case; every page for no text.
export function matchPages(pages: readonly PageEntry[], text: string): PageEntry[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return pages.filter((page) => {
    const haystack = `${page.label} ${page.group}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
