// The app: real URLs for every page (preact-iso's router), the login in
// front of everything else, each page loaded when first opened.
import { useEffect } from 'preact/hooks';
import { LocationProvider, Route, Router, lazy, useLocation } from 'preact-iso';
import { Shell } from './components/shell';
import { loginUrl } from './lib/next_url';
import { LoginPage } from './pages/login/login_page';
import { NotFoundPage } from './pages/notfound/not_found_page';
import { SessionProvider, useSession } from './session';

const WorkbenchPage = lazy(() => import('./pages/workbench/workbench_page').then((m) => m.WorkbenchPage));
const WorkbenchListPage = lazy(() => import('./pages/workbench/workbench_list_page').then((m) => m.WorkbenchListPage));
const CustomersPage = lazy(() => import('./pages/customers/customers_page').then((m) => m.CustomersPage));
const CustomerPage = lazy(() => import('./pages/customer/customer_page').then((m) => m.CustomerPage));
const ComplaintsPage = lazy(() => import('./pages/complaints/complaints_page').then((m) => m.ComplaintsPage));

function Redirect({ to }: { to: string }) {
  const location = useLocation();
  useEffect(() => location.route(to, true), [to]);
  return null;
}

function Pages() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') {
    return (
      <p class="loading" role="status">
        Loading…
      </p>
    );
  }
  if (location.path === '/login') return <LoginPage />;
  if (state.status === 'anonymous') return <Redirect to={loginUrl(location.url)} />;
  return (
    <Shell>
      <Router>
        <Route path="/" component={WorkbenchPage} />
        <Route path="/workbench/:list" component={WorkbenchListPage} />
        <Route path="/customers" component={CustomersPage} />
        <Route path="/customers/:id" component={CustomerPage} />
        <Route path="/complaints" component={ComplaintsPage} />
        <Route default component={NotFoundPage} />
      </Router>
    </Shell>
  );
}

export function App() {
  return (
    <LocationProvider>
      <SessionProvider>
        <Pages />
      </SessionProvider>
    </LocationProvider>
  );
}
