import { useState } from 'react';
import { Button, Space, Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { apiGet } from '../api';
import { ConnectorForm } from '../connector-form';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import type { ConnectorView, LastRunSummary } from '../types';
import { ErrorAlert, PageTitle, RunStatusTag, useLoad, TAG } from '../ui';

type Row = ConnectorView & { lastRun?: LastRunSummary | null; nextRunAt?: string | null };

export default function ConnectorsPage() {
  const { t, dateTime } = useI18n();
  const { can } = useSession();
  const [creating, setCreating] = useState(false);
  const { data, error, loading, reload } = useLoad(async () => {
    // the list carries each connector's last run and next scheduled run
    return apiGet<Row[]>('/connectors');
  }, []);
  return (
    <>
      <PageTitle
        extra={
          <Space>
            <a href="/admin/queues" target="_blank" rel="noreferrer">
              {t.navQueues} ↗
            </a>
            {can('connectors.write') && (
              <Button type="primary" onClick={() => setCreating(true)}>
                {t.newConnector}
              </Button>
            )}
          </Space>
        }
      >
        {t.connectorsTitle}
      </PageTitle>
      <ErrorAlert error={error} />
      <Table<Row>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t.name, dataIndex: 'name', render: (v: string, c) => <Link to={`/app/connectors/${c.id}`}>{v}</Link>, sorter: (a, b) => a.name.localeCompare(b.name) },
          { title: t.kind, dataIndex: 'kind', filters: [...new Set((data ?? []).map((c) => c.kind))].map((k) => ({ text: k, value: k })), onFilter: (v, c) => c.kind === v },
          { title: t.province, dataIndex: 'provinceCode', width: 100 },
          { title: t.schedule, dataIndex: 'schedule', render: (v: string | null) => (v ? <code>{v}</code> : '—') },
          { title: t.status, dataIndex: 'enabled', render: (v: boolean) => (v ? <Tag color={TAG.green}>{t.enabled}</Tag> : <Tag>{t.disabled}</Tag>) },
          { title: t.lastRun, render: (_: unknown, c) => (c.lastRun ? dateTime(c.lastRun.finishedAt ?? c.lastRun.requestedAt) : '—') },
          { title: t.outcome, render: (_: unknown, c) => (c.lastRun ? <span title={c.lastRun.outcome}><RunStatusTag status={c.lastRun.status} />{c.lastRun.warnings > 0 ? ` ⚠ ${c.lastRun.warnings}` : ''}</span> : '—') },
          { title: t.nextRun, render: (_: unknown, c) => dateTime(c.nextRunAt ?? null) },
        ]}
      />
      {creating && <ConnectorForm onClose={() => setCreating(false)} onSaved={reload} />}
    </>
  );
}
