// The workbench (home): every list of the user's scope as a card with its
// count; a card opens its list. Managers and administrators pick the as-of
// date.
import { useLocation } from 'preact-iso';
import { query } from '../../api/client';
import type { Workbench, WorkbenchList } from '../../api/types';
import { ErrorNote } from '../../components/error_note';
import { useApi } from '../../components/use_api';
import { formatCount, formatDay } from '../../lib/format';
import { useMe } from '../../session';
import { grouped } from './lists';

function range(list: WorkbenchList): string {
  const from = formatDay(list.from);
  const to = formatDay(list.to);
  if (from && to) return from === to ? from : `${from} – ${to}`;
  if (to) return `until ${to}`;
  return '';
}

function Card({ list, asOf }: { list: WorkbenchList; asOf: string | undefined }) {
  return (
    <a class={`card${list.count === 0 ? ' empty' : ''}`} href={`/workbench/${list.name}${query({ as_of: asOf })}`} data-list={list.name}>
      <span class="card-title">{list.title}</span>
      <span class="card-count">{formatCount(list.count)}</span>
      <span class="card-range">{range(list)}</span>
    </a>
  );
}

export function WorkbenchPage() {
  const me = useMe();
  const location = useLocation();
  const asOf = location.query['as_of'] || undefined;
  const loaded = useApi<Workbench>(`/workbench${query({ as_of: asOf, page_size: 0 })}`);
  const picks = me.user.role === 'admin' || me.user.role === 'manager';

  return (
    <section class="page">
      <div class="page-head">
        <h1>Workbench</h1>
        <p class="subtitle">
          {me.scope.kind === 'owner' ? 'Your customers' : me.scope.team ? `Team ${me.scope.team}` : 'Every customer'}
          {loaded.state === 'done' ? <> · as of {loaded.data.as_of}</> : null}
        </p>
        {picks ? (
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              const day = new FormData(e.currentTarget).get('as_of');
              location.route(`/${query({ as_of: typeof day === 'string' ? day : undefined })}`);
            }}
          >
            <label for="as_of">As of</label>
            <input id="as_of" name="as_of" type="date" defaultValue={asOf ?? (loaded.state === 'done' ? loaded.data.as_of : '')} />
            <button type="submit">Show</button>
          </form>
        ) : null}
      </div>
      {loaded.state === 'loading' ? (
        <p class="loading" role="status">
          Counting…
        </p>
      ) : loaded.state === 'failed' ? (
        <ErrorNote error={loaded.error} />
      ) : (
        grouped(loaded.data.lists).map((group, i) => (
          <section class="card-group" key={group.title} aria-labelledby={`group-${i}`}>
            <h2 id={`group-${i}`}>{group.title}</h2>
            <div class="cards">
              {group.lists.map((list) => (
                <Card key={list.name} list={list} asOf={asOf} />
              ))}
            </div>
          </section>
        ))
      )}
    </section>
  );
}
