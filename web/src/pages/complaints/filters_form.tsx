// The board's filters: category, assignee and customer. They live in the
// page's address, so a filtered board is a link; the form only writes them
// there when submitted (a select that navigated on every arrow key would
// reload the board at each step).
import { useState } from 'preact/hooks';
import { SelectField } from '../../components/field';
import type { Filters } from './board';

export interface FilterChoices {
  categories: string[];
  assignees: { id: number; label: string }[];
  customers: { id: number; label: string }[];
}

export function FiltersForm({ filters, choices, onApply }: { filters: Filters; choices: FilterChoices; onApply: (filters: Filters) => void }) {
  const [draft, setDraft] = useState<Filters>(filters);
  const set = (name: keyof Filters) => (value: string) => setDraft({ ...draft, [name]: value });
  return (
    <form
      class="board-filters"
      aria-label="Filter the complaints"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <div>
        <SelectField id="filter-category" label="Category" options={[['', 'Every category'], ...choices.categories.map((c) => [c, c] as const)]} value={draft.category} onValue={set('category')} error={null} />
      </div>
      <div>
        <SelectField
          id="filter-assignee"
          label="Assignee"
          options={[['', 'Anyone'], ...choices.assignees.map((a) => [String(a.id), a.label] as const)]}
          value={draft.assignee_id}
          onValue={set('assignee_id')}
          error={null}
        />
      </div>
      <div>
        <SelectField
          id="filter-customer"
          label="Customer"
          options={[['', 'Every customer'], ...choices.customers.map((c) => [String(c.id), c.label] as const)]}
          value={draft.customer_id}
          onValue={set('customer_id')}
          error={null}
        />
      </div>
      <div class="board-filters-actions">
        <button type="submit">Filter</button>
        <a href="/complaints">Clear</a>
      </div>
    </form>
  );
}
