// Customer 360: its header, timeline and panels, and the actions on it.
export class CustomerPage {
  constructor(page, url) {
    this.page = page;
    this.url = url;
  }

  async open(id) {
    await this.page.goto(`${this.url}/customers/${id}`);
    await this.loaded();
  }

  // The profile, with its timeline and credit file, or the "not yours" page.
  async loaded() {
    await this.page.locator('.profile-head h1, .not-yours').first().waitFor();
    if (await this.page.locator('.profile-head').count()) {
      await this.page.locator('.credit .rating').waitFor();
      // The owner's name, once the users are read.
      await this.page.waitForFunction(() => !/Owner #\d/.test(document.querySelector('.badges')?.textContent ?? ''));
    }
  }

  // The churn risk panel as shown: the health, the probability line, the
  // value at risk and the reasons' lines, or its one line when unscored.
  async risk() {
    const panel = this.page.getByTestId('risk-panel');
    const text = async (id) => ((await panel.getByTestId(id).count()) ? (await panel.getByTestId(id).textContent()).trim() : null);
    return {
      health: await text('risk-health'),
      probability: await text('risk-probability'),
      value: await text('risk-value'),
      reasons: (await panel.getByTestId('risk-reasons').count()) ? await panel.locator('[data-testid=risk-reasons] li').allTextContents() : [],
      text: (await panel.textContent()).trim(),
    };
  }

  async title() {
    return this.page.locator('.profile-head h1, .not-yours h1').first().textContent();
  }

  async timelineTitles() {
    return this.page.locator('.events .event-title').allTextContents();
  }

  async logContact({ kind = 'call', outcome = '', notes = '', followUp = '' }) {
    await this.page.getByRole('button', { name: 'Log contact' }).click();
    const form = this.page.locator('form.log-contact');
    await form.getByLabel('Contact', { exact: true }).selectOption(kind);
    if (outcome) await form.getByLabel('Outcome', { exact: true }).selectOption(outcome);
    if (notes) await form.getByLabel('Notes', { exact: true }).fill(notes);
    if (followUp) await form.getByLabel('Next contact on').fill(followUp);
    await form.getByRole('button', { name: 'Save' }).click();
    const saved = this.page.locator('.toolbar .saved');
    await saved.waitFor();
    return saved.textContent();
  }

  async startEdit() {
    await this.page.getByRole('button', { name: 'Edit' }).click();
    return this.page.locator('form.panel-form');
  }
}
