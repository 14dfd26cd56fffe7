// The command palette, opened from anywhere in the app: its search box and
// the customers and pages it finds.
export class CommandPalette {
  constructor(page) {
    this.page = page;
    this.dialog = page.getByRole('dialog', { name: 'Search' });
    this.input = this.dialog.getByRole('combobox');
  }

  async openWithKeys() {
    await this.page.keyboard.press('Control+k');
    await this.dialog.waitFor();
  }

  async search(text) {
    await this.input.fill(text);
    // The answer for this text has come once the status no longer searches.
    await this.page.waitForFunction(() => {
      const status = document.getElementById('palette-status')?.textContent ?? '';
      return !status.includes('Searching') && !status.startsWith('Type');
    });
  }

  // The options' names, in order.
  async optionNames() {
    return this.dialog.locator('[role="option"] .palette-name').allTextContents();
  }

  async activeName() {
    return this.dialog.locator('[role="option"][aria-selected="true"] .palette-name').textContent();
  }

  // Moves down with the arrow key to the option named `name` and opens it
  // with Enter.
  async openByKeys(name) {
    const names = await this.optionNames();
    if (!names.includes(name)) throw new Error(`no option ${name} among ${names.join(', ')}`);
    while ((await this.activeName()) !== name) await this.page.keyboard.press('ArrowDown');
    await this.page.keyboard.press('Enter');
  }

  async isOpen() {
    return this.dialog.isVisible();
  }
}
