// What a user sees for a customer outside their part of the company. The API
// answers such a customer exactly as a missing one (so nobody learns which
// ids exist), and so does this page.
export function NotYours({ id }: { id: string }) {
  return (
    <section class="page">
      <div class="error-note not-yours" role="alert">
        <h1>Not yours</h1>
        <p>Customer {id} is not one of the customers you look after, or there is no such customer.</p>
        <p>If you should see it, ask your manager to hand it over to you.</p>
        <p>
          <a href="/customers">Your customers</a> · <a href="/">Workbench</a>
        </p>
      </div>
    </section>
  );
}
