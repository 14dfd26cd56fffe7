// A workbench list: its customers, logging a contact from a row, and
// closing a row's playbook task.
export class ListPage {
  constructor(page) {
    this.page = page;
  }

  async loaded() {
    await this.page.locator('table.list, .empty-note').first().waitFor();
  }

  async customerNames() {
    await this.loaded();
    return this.page.$$eval('table.list tbody tr:not(.form-row) td:first-child a', (links) => links.map((a) => a.textContent));
  }

  row(name) {
    return this.page.locator('table.list tbody tr:not(.form-row)', { has: this.page.getByRole('link', { name, exact: true }) }).first();
  }

  // Opens the row's form and fills it; `save` false leaves it open.
  async logContact(name, { kind = 'call', outcome = '', notes = '', followUp = '' }, save = true) {
    await this.row(name).getByRole('button', { name: 'Log contact' }).click();
    const form = this.page.getByRole('form', { name: `Log a contact with ${name}` });
    await form.getByLabel('Contact', { exact: true }).selectOption(kind);
    if (outcome) await form.getByLabel('Outcome', { exact: true }).selectOption(outcome);
    if (notes) await form.getByLabel('Notes', { exact: true }).fill(notes);
    if (followUp) await form.getByLabel('Next contact on').fill(followUp);
    if (!save) return null;
    await form.getByRole('button', { name: 'Save' }).click();
    const saved = this.row(name).locator('.saved');
    await saved.waitFor();
    return saved.textContent();
  }

  // The row of playbook task `taskId` (its note starts "#ID "; a string
  // would be trimmed, and "#3" is found in "#31").
  taskRow(taskId) {
    return this.page.locator('table.list tbody tr:not(.form-row)', { hasText: new RegExp(`#${taskId}\\s`) }).first();
  }

  // Opens the close form of `task` (a playbook_tasks row: task_id, name)
  // and fills it: `lostType` (a code) and `reasons` (labels) confirm a
  // proposed loss, `dismiss` closes the task undone; `save` false leaves the
  // form open. Returns what the row says once closed.
  async closeTask(task, { outcome = '', dismiss = false, lostType = '', reasons = [] }, save = true) {
    const form = this.page.getByRole('form', { name: `Close the task for ${task.name}` });
    if (!(await form.isVisible())) await this.taskRow(task.task_id).getByRole('button', { name: 'Close task' }).click();
    if (lostType) await form.getByLabel('Type of loss').selectOption(lostType);
    for (const reason of reasons) await form.getByLabel(reason, { exact: true }).check();
    if (outcome) await form.getByLabel('What came of it').fill(outcome);
    if (!save) return null;
    await form.getByRole('button', { name: dismiss ? /^(Dismiss|Not lost)$/ : /^(Done|Confirm lost)$/ }).click();
    const closed = this.taskRow(task.task_id).locator('.task-closed');
    await closed.waitFor();
    return closed.textContent();
  }
}
