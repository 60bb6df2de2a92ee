import { Button, Layout, Menu, Select, Space, Tag, Typography } from 'antd';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { TAG } from './ui';
import { useI18n, type Dict } from './i18n';
import { useSession } from './session';
import type { Role } from './types';

const { Header, Sider, Content } = Layout;

export function roleLabel(t: Dict, role: Role): string {
  return { admin: t.roleAdmin, operator: t.roleOperator, officer: t.roleOfficer, auditor: t.roleAuditor, appraiser: t.roleAppraiser }[role] ?? role;
}

/** Navigation entries and the permission each needs: a role sees only what it may open. */
function navItems(t: Dict) {
  return [
    { key: '/app/scorecard', label: t.navScorecard, permission: 'scores.read' },
    { key: '/app/findings', label: t.navFindings, permission: 'scores.read' },
    { key: '/app/lineage', label: t.navLineage, permission: 'scores.read' },
    { key: '/app/decision-766', label: t.nav766, permission: 'scores.read' },
    { key: '/app/scoreboard', label: t.navScoreboard, permission: 'scoreboard.read' },
    { key: '/app/what-if', label: t.navWhatIf, permission: 'scenarios.evaluate' },
    { key: '/app/connectors', label: t.navConnectors, permission: 'connectors.read' },
    { key: '/app/quarantine', label: t.navQuarantine, permission: 'quarantine.read' },
    { key: '/app/users', label: t.navUsers, permission: 'users.manage' },
    { key: '/app/api-keys', label: t.navApiKeys, permission: 'users.manage' },
  ];
}

export function AppLayout() {
  const { t, lang, setLang } = useI18n();
  const { me, can, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const items = navItems(t).filter((i) => can(i.permission));
  const selected = items.find((i) => location.pathname.startsWith(i.key))?.key;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <Sider width={232} breakpoint="lg" collapsedWidth={0} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
        <div style={{ padding: '16px 20px' }}>
          <Link to="/app" style={{ fontWeight: 700, fontSize: 16, color: '#a8071a' }}>
            {t.appName}
          </Link>
          <div style={{ fontSize: 12, color: '#595959' }}>{t.appTagline}</div>
        </div>
        <nav aria-label={t.mainNav}>
          <Menu
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            items={[
              ...items.map((i) => ({ key: i.key, label: <Link to={i.key}>{i.label}</Link> })),
              ...(can('queues.dashboard')
                ? [{ key: 'queues', label: <a href="/admin/queues" target="_blank" rel="noreferrer" aria-label={t.openQueues}>{t.navQueues} ↗</a> }]
                : []),
            ]}
          />
        </nav>
      </Sider>
      <Layout>
        <Header style={{ background: '#fff', borderBottom: '1px solid #f0f0f0', padding: '0 24px', display: 'flex', justifyContent: 'flex-end' }}>
          <Space size="middle">
            {me && (
              <Typography.Text>
                <span data-testid="user-name">{me.name}</span> <Tag color={TAG.red}>{roleLabel(t, me.role)}</Tag>
                {me.provinceCode && <Tag>{`${t.province} ${me.provinceCode}`}</Tag>}
              </Typography.Text>
            )}
            <Select
              aria-label={t.language}
              value={lang}
              onChange={setLang}
              style={{ width: 120 }}
              options={[
                { value: 'vi', label: 'Tiếng Việt' },
                { value: 'en', label: 'English' },
              ]}
            />
            <Button
              onClick={async () => {
                await signOut();
                navigate('/app/login');
              }}
            >
              {t.signOut}
            </Button>
          </Space>
        </Header>
        <Content id="main" tabIndex={-1} style={{ margin: 24 }}>
          <main>
            <Outlet />
          </main>
        </Content>
      </Layout>
    </Layout>
  );
}
