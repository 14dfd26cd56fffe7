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
    await this.page.locator('h1').waitFor();
  }

  async logOut() {
    await this.page.getByRole('button', { name: 'Log out' }).click();
    await this.page.waitForURL((url) => url.pathname === '/login');
  }
}
