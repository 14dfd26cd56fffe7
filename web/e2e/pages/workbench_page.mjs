// The workbench: its cards and their counts.
export class WorkbenchPage {
  constructor(page, url) {
    this.page = page;
    this.url = url;
  }

  async open(asOf) {
    await this.page.goto(`${this.url}/${asOf ? `?as_of=${asOf}` : ''}`);
    await this.loaded();
  }

  async loaded() {
    await this.page.locator('.card').first().waitFor();
  }

  // list name -> the count its card shows.
  async counts() {
    await this.loaded();
    return this.page.$$eval('.card', (cards) =>
      Object.fromEntries(cards.map((card) => [card.dataset.list, Number(card.querySelector('.card-count').textContent.replace(/,/g, ''))])),
    );
  }

  async openList(name) {
    await this.page.locator(`.card[data-list="${name}"]`).click();
    await this.page.waitForURL((url) => url.pathname === `/workbench/${name}`);
    // The list's own page, loaded: until its code has come, the router still
    // shows the workbench (with an h1 of its own).
    await this.page.locator('.crumbs').waitFor();
  }

  async logOut() {
    await this.page.getByRole('button', { name: 'Log out' }).click();
    await this.page.waitForURL((url) => url.pathname === '/login');
  }
}
