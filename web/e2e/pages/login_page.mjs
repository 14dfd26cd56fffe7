// The login page, as a user meets it.
export class LoginPage {
  constructor(page, url) {
    this.page = page;
    this.url = url;
  }

  async open(path = '/login') {
    await this.page.goto(this.url + path);
    await this.page.locator('#username').waitFor();
  }

  async logIn(username, password) {
    await this.page.locator('#username').fill(username);
    await this.page.locator('#password').fill(password);
    await this.page.getByRole('button', { name: 'Log in' }).click();
  }

  async error() {
    const error = this.page.locator('.form-error, .field-error').first();
    await error.waitFor();
    return error.textContent();
  }
}
