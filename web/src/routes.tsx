import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Result, Spin } from 'antd';
import { useI18n } from './i18n';
import { homeOf, useSession } from './session';
import { AppLayout } from './layout';
import { LoginPage } from './pages/login-page';

// one chunk per page: the sign-in page loads only the shell
const ScorecardPage = lazy(() => import('./pages/scorecard-page'));
const ItemPage = lazy(() => import('./pages/item-page'));
const LineagePage = lazy(() => import('./pages/lineage-page'));
const FindingsPage = lazy(() => import('./pages/findings-page'));
const ConnectorsPage = lazy(() => import('./pages/connectors-page'));
const ConnectorPage = lazy(() => import('./pages/connector-page'));
const QuarantinePage = lazy(() => import('./pages/quarantine-page'));
const UsersPage = lazy(() => import('./pages/users-page'));
const ApiKeysPage = lazy(() => import('./pages/api-keys-page'));
const ScoreboardPage = lazy(() => import('./pages/scoreboard-page'));
const WhatIfPage = lazy(() => import('./pages/what-if-page'));
const Board766Page = lazy(() => import('./pages/board-766-page'));

/** Each page and the permission it needs (the same names the API checks: GET /auth/me lists the caller's). */
export const PAGES: Array<{ path: string; permission: string; element: ReactNode }> = [
  { path: 'scorecard', permission: 'scores.read', element: <ScorecardPage /> },
  { path: 'provinces/:province/years/:year/items/:catalogue/:sub', permission: 'scores.read', element: <ItemPage /> },
  { path: 'lineage', permission: 'scores.read', element: <LineagePage /> },
  { path: 'lineage/:scoreId', permission: 'scores.read', element: <LineagePage /> },
  { path: 'findings', permission: 'scores.read', element: <FindingsPage /> },
  { path: 'scoreboard', permission: 'scoreboard.read', element: <ScoreboardPage /> },
  { path: 'decision-766', permission: 'scores.read', element: <Board766Page /> },
  { path: 'what-if', permission: 'scenarios.evaluate', element: <WhatIfPage /> },
  { path: 'connectors', permission: 'connectors.read', element: <ConnectorsPage /> },
  { path: 'connectors/:id', permission: 'connectors.read', element: <ConnectorPage /> },
  { path: 'quarantine', permission: 'quarantine.read', element: <QuarantinePage /> },
  { path: 'users', permission: 'users.manage', element: <UsersPage /> },
  { path: 'api-keys', permission: 'users.manage', element: <ApiKeysPage /> },
];

function Guarded({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useSession();
  const { t } = useI18n();
  if (!can(permission)) return <Result status="403" title="403" subTitle={t.forbidden} />;
  return <Suspense fallback={<Spin aria-label={t.loading} />}>{children}</Suspense>;
}

function RequireSession({ children }: { children: ReactNode }) {
  const { me, loading } = useSession();
  const location = useLocation();
  const { t } = useI18n();
  if (loading) return <Spin aria-label={t.loading} style={{ margin: 48 }} />;
  if (!me) return <Navigate to={`/app/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

function Home() {
  const { me } = useSession();
  return me ? <Navigate to={homeOf(me)} replace /> : <Navigate to="/app/login" replace />;
}

function NotFound() {
  const { t } = useI18n();
  return <Result status="404" title="404" subTitle={t.notFound} />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<Home />} />
      <Route path="/index.html" element={<Home />} />
      <Route path="/app/login" element={<LoginPage />} />
      <Route
        path="/app"
        element={
          <RequireSession>
            <AppLayout />
          </RequireSession>
        }
      >
        <Route index element={<Home />} />
        {PAGES.map((p) => (
          <Route key={p.path} path={p.path} element={<Guarded permission={p.permission}>{p.element}</Guarded>} />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
