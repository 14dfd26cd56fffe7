// The complaints board: its columns and their counts, the cards, and the
// moves on a card.
export class ComplaintsPage {
  constructor(page, url) {
    this.page = page;
    this.url = url;
  }

  async open(search = '') {
    await this.page.goto(`${this.url}/complaints${search}`);
    await this.loaded();
  }

  // Every column read with its customers' names (and, for the roles that
  // may read the complaint report, the deadlines with it).
  async loaded({ deadlines = false } = {}) {
    await this.page.waitForFunction(
      (deadlines) =>
        document.querySelectorAll('.board-column').length === 4 &&
        !document.querySelector('.board-column .loading') &&
        !document.querySelector('.complaint h3 a:not([data-named])') &&
        (!deadlines || document.querySelector('.page-head .subtitle')?.textContent.includes('past their deadline')),
      deadlines,
    );
  }

  column(status) {
    return this.page.locator(`.board-column[data-status="${status}"]`);
  }

  card(id) {
    return this.page.locator(`article.complaint[data-id="${id}"]`);
  }

  // The ids of the cards in the column of `status`, top to bottom.
  async ids(status) {
    return this.column(status).locator('article.complaint').evaluateAll((cards) => cards.map((card) => Number(card.dataset.id)));
  }

  // The count the column's heading shows ("3", or "100+" when more can be read).
  async count(status) {
    return (await this.column(status).locator('h2 .count').textContent()).trim();
  }

  async overdueIds() {
    return this.page.locator('article.complaint.overdue').evaluateAll((cards) => cards.map((card) => Number(card.dataset.id)));
  }

  // Opens the card's resolve form and fills it; `save` false leaves it open.
  async resolve(id, { resolution, satisfaction }, save = true) {
    const card = this.card(id);
    await card.getByRole('button', { name: 'Resolve…' }).click();
    const form = card.getByRole('form');
    await form.getByLabel('Resolution').fill(resolution);
    if (satisfaction) await form.getByLabel("Customer's satisfaction").selectOption(String(satisfaction));
    if (save) await form.getByRole('button', { name: 'Resolve', exact: true }).click();
  }

  // What the board last said (after a move).
  async said() {
    return (await this.page.locator('.board-said').textContent()).trim();
  }
}
