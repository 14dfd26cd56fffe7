// The workbench (home): every list of the user's scope as a card with its
// count; a card opens its list. Managers and administrators pick the
// salesperson or team whose lists they see, and the as-of date; the choice
// is in the URL (?user=, ?team=, ?as_of=) and carried into the lists.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, query } from '../../api/client';
import type { Team, TeamPage, Workbench, WorkbenchList } from '../../api/types';
import { ErrorNote } from '../../components/error_note';
import { useApi } from '../../components/use_api';
import { useUsers } from '../../components/use_users';
import { formatCount, formatDay } from '../../lib/format';
import { useMe } from '../../session';
import { choiceOf, grouped, type Choice } from './lists';

function range(list: WorkbenchList): string {
  const from = formatDay(list.from);
  const to = formatDay(list.to);
  if (from && to) return from === to ? from : `${from} – ${to}`;
  if (to) return `until ${to}`;
  return '';
}

function Card({ list, choice }: { list: WorkbenchList; choice: Choice }) {
  return (
    <a class={`card${list.count === 0 ? ' empty' : ''}`} href={`/workbench/${list.name}${query(choice)}`} data-list={list.name}>
      <span class="card-title">{list.title}</span>
      <span class="card-count">{formatCount(list.count)}</span>
      <span class="card-range">{range(list)}</span>
    </a>
  );
}

export function WorkbenchPage() {
  const me = useMe();
  const location = useLocation();
  const choice = choiceOf(location.query);
  const loaded = useApi<Workbench>(`/workbench${query({ ...choice, page_size: 0 })}`);
  const picks = me.user.role === 'admin' || me.user.role === 'manager';
  const users = useUsers();
  const [teams, setTeams] = useState<Team[]>([]);
  useEffect(() => {
    if (me.user.role !== 'admin') return;
    api.get<TeamPage>('/teams?limit=1000').then(
      (page) => setTeams(page.items),
      () => undefined,
    );
  }, [me.user.role]);
  const salespeople = users.filter((u) => u['role'] === 'sales' && u['active'] && (me.user.role === 'admin' || u['team_id'] === me.scope.team_id));
  const chosen = choice.user ? `user:${choice.user}` : choice.team ? `team:${choice.team}` : '';
  const [whom, setWhom] = useState(chosen);
  useEffect(() => setWhom(chosen), [chosen]);
  const whose = choice.user ? `${choice.user}'s customers` : choice.team ? `Team ${choice.team}` : null;

  return (
    <section class="page">
      <div class="page-head">
        <h1>Workbench</h1>
        <p class="subtitle">
          {whose ?? (me.scope.kind === 'owner' ? 'Your customers' : me.scope.team ? `Team ${me.scope.team}` : 'Every customer')}
          {loaded.state === 'done' ? <> · as of {loaded.data.as_of}</> : null}
        </p>
        {picks ? (
          <form
            class="inline-form pickers"
            onSubmit={(e) => {
              e.preventDefault();
              const data = new FormData(e.currentTarget);
              const text = (name: string) => {
                const v = data.get(name);
                return typeof v === 'string' && v !== '' ? v : undefined;
              };
              location.route(
                `/${query({ as_of: text('as_of'), user: whom.startsWith('user:') ? whom.slice(5) : undefined, team: whom.startsWith('team:') ? whom.slice(5) : undefined })}`,
              );
            }}
          >
            <label for="whom">Whose</label>
            <select id="whom" name="whom" value={whom} onChange={(e) => setWhom(e.currentTarget.value)}>
              <option value="">{me.user.role === 'admin' ? 'Every customer' : 'My team'}</option>
              {teams.length > 0 ? (
                <optgroup label="Teams">
                  {teams.map((t) => (
                    <option key={t.id} value={`team:${t.name}`}>
                      {t.name}
                    </option>
                  ))}
                </optgroup>
              ) : null}
              <optgroup label="Salespeople">
                {salespeople.map((u) => (
                  <option key={u.id} value={`user:${String(u['username'])}`}>
                    {String(u['full_name'] ?? u['username'])} ({String(u['username'])})
                  </option>
                ))}
              </optgroup>
            </select>
            <label for="as_of">As of</label>
            <input id="as_of" name="as_of" type="date" defaultValue={choice.as_of ?? (loaded.state === 'done' ? loaded.data.as_of : '')} />
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
                <Card key={list.name} list={list} choice={choice} />
              ))}
            </div>
          </section>
        ))
      )}
    </section>
  );
}
