// How the pages write the API's values. Only formatting: every figure itself
// comes from the API, so the page, the CLI and the API always agree.

const numberFormat = new Intl.NumberFormat('en-US');
const moneyFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

export function formatAmount(amount: number | null | undefined): string {
  return amount === null || amount === undefined ? '' : moneyFormat.format(amount);
}

// A probability (0..1) as a whole percent; an em dash for none.
export function formatPercent(p: number | null | undefined): string {
  return p === null || p === undefined ? '—' : `${Math.round(p * 100)} %`;
}

// A date ("2026-12-05") or timestamp ("2026-12-05T09:30:00Z") as its day;
// empty for none.
export function formatDay(value: string | null | undefined): string {
  if (!value) return '';
  return value.slice(0, 10);
}

// The whole days from `from` to `to` (both "YYYY-MM-DD..."), negative when
// `to` is earlier.
export function daysBetween(from: string, to: string): number {
  const day = (text: string) => Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10)));
  return Math.round((day(to) - day(from)) / 86_400_000);
}
