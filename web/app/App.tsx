import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router-dom';
import { RequireAuth } from './auth/RequireAuth';
import { Layout } from './components/Layout';
import { useTitle } from './lib/title';
import { LoginPage } from './pages/LoginPage';
import { OverviewPage } from './pages/OverviewPage';

// The overview and login load with the app; the other screens come when first opened.
const HostsPage = lazy(() => import('./pages/HostsPage'));
const HostPage = lazy(() => import('./pages/HostPage'));
const ServicesPage = lazy(() => import('./pages/ServicesPage'));
const ServicePage = lazy(() => import('./pages/ServicePage'));
const ServiceFormPage = lazy(() => import('./pages/ServiceFormPage'));
const LogsPage = lazy(() => import('./pages/LogsPage'));
const ModulesPage = lazy(() => import('./pages/ModulesPage'));
const EnrolPage = lazy(() => import('./pages/EnrolPage'));
const DnsPage = lazy(() => import('./pages/DnsPage'));
const IncidentsPage = lazy(() => import('./pages/IncidentsPage'));
const IncidentPage = lazy(() => import('./pages/IncidentPage'));
const AlertsPage = lazy(() => import('./pages/AlertsPage'));
const UsersPage = lazy(() => import('./pages/UsersPage'));
const AccountPage = lazy(() => import('./pages/AccountPage'));
const ActivityPage = lazy(() => import('./pages/ActivityPage'));
const MonitorsPage = lazy(() => import('./pages/MonitorsPage'));
const MonitorPage = lazy(() => import('./pages/MonitorPage'));
const CertificatesPage = lazy(() => import('./pages/CertificatesPage'));
const PagesPage = lazy(() => import('./pages/PagesPage'));

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        path="*"
        element={
          <RequireAuth>
            <Layout>
              <Suspense
                fallback={
                  <p className="muted" role="status">
                    Loading…
                  </p>
                }
              >
                <Routes>
                  <Route path="/" element={<OverviewPage />} />
                  <Route path="/hosts" element={<HostsPage />} />
                  <Route path="/hosts/:id" element={<HostPage />} />
                  <Route path="/services" element={<ServicesPage />} />
                  <Route path="/services/new" element={<ServiceFormPage />} />
                  <Route path="/services/:id" element={<ServicePage />} />
                  <Route path="/services/:id/edit" element={<ServiceFormPage />} />
                  <Route path="/logs" element={<LogsPage />} />
                  <Route path="/modules" element={<ModulesPage />} />
                  <Route path="/enrol" element={<EnrolPage />} />
                  <Route path="/dns" element={<DnsPage />} />
                  <Route path="/incidents" element={<IncidentsPage />} />
                  <Route path="/incidents/:id" element={<IncidentPage />} />
                  <Route path="/alerts" element={<AlertsPage />} />
                  <Route path="/users" element={<UsersPage />} />
                  <Route path="/account" element={<AccountPage />} />
                  <Route path="/activity" element={<ActivityPage />} />
                  <Route path="/monitors" element={<MonitorsPage />} />
                  <Route path="/monitors/:id" element={<MonitorPage />} />
                  <Route path="/certificates" element={<CertificatesPage />} />
                  <Route path="/pages" element={<PagesPage />} />
                  <Route path="*" element={<NotFound />} />
                </Routes>
              </Suspense>
            </Layout>
          </RequireAuth>
        }
      />
    </Routes>
  );
}

function NotFound() {
  useTitle('Page not found');
  return (
    <section>
      <h1>Page not found</h1>
      <p>There is no screen at this address.</p>
    </section>
  );
}
