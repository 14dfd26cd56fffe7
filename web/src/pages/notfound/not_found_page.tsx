export function NotFoundPage() {
  return (
    <section class="page">
      <h1>No such page</h1>
      <p>
        Nothing lives at this address. <a href="/">Back to the workbench</a>.
      </p>
    </section>
  );
}
