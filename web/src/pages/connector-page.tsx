import { useEffect, useState } from 'react';
import { App, Button, Card, DatePicker, Descriptions, Progress, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useParams } from 'react-router-dom';
import { apiGet, apiSend } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import type { ConnectorView, RunStep, RunView } from '../types';
import { ErrorAlert, PageTitle, RunStatusTag, useLoad, TAG } from '../ui';
import { ConnectorForm } from '../connector-form';

const ACTIVE = new Set(['queued', 'running']);

/** One connector: settings, test call, run now, backfill, and its runs with live progress while they run. */
export default function ConnectorPage() {
  const { id = '' } = useParams();
  const { t, num, dateTime } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const connector = useLoad(() => apiGet<ConnectorView>(`/connectors/${id}`), [id]);
  const runs = useLoad(() => apiGet<RunView[]>(`/connectors/${id}/runs?limit=20`), [id]);
  const [editing, setEditing] = useState(false);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [testResult, setTestResult] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const active = (runs.data ?? []).some((r) => ACTIVE.has(r.status));

  // live progress: poll while a run is queued or running
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(runs.reload, 1000);
    return () => clearInterval(timer);
  }, [active, runs.reload]);

  const act = async (name: string, work: () => Promise<unknown>) => {
    setBusy(name);
    try {
      await work();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const c = connector.data;
  const write = can('connectors.write');
  return (
    <>
      <PageTitle
        extra={
          write && c ? (
            <Space wrap>
              <Button
                type="primary"
                loading={busy === 'run'}
                onClick={() =>
                  act('run', async () => {
                    await apiSend('POST', `/connectors/${id}/runs`);
                    message.success(t.runQueued);
                    runs.reload();
                  })
                }
              >
                {t.runNow}
              </Button>
              <Button loading={busy === 'test'} onClick={() => act('test', async () => setTestResult(await apiSend('POST', `/connectors/${id}/test`)))}>
                {t.testCall}
              </Button>
              <Button onClick={() => setEditing(true)}>{t.editConnector}</Button>
              <Button
                loading={busy === 'toggle'}
                onClick={() =>
                  act('toggle', async () => {
                    await apiSend('POST', `/connectors/${id}/${c.enabled ? 'disable' : 'enable'}`);
                    connector.reload();
                  })
                }
              >
                {c.enabled ? t.disable : t.enable}
              </Button>
            </Space>
          ) : null
        }
      >
        {c?.name ?? ''}
      </PageTitle>
      <ErrorAlert error={connector.error ?? runs.error} />
      {c && (
        <Descriptions bordered size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t.kind}>{c.kind}</Descriptions.Item>
          <Descriptions.Item label={t.province}>{c.provinceCode ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t.status}>{c.enabled ? <Tag color={TAG.green}>{t.enabled}</Tag> : <Tag>{t.disabled}</Tag>}</Descriptions.Item>
          <Descriptions.Item label={t.baseUrl}>{c.baseUrl}</Descriptions.Item>
          <Descriptions.Item label={t.schedule}>{c.schedule ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t.credentials}>{c.credentialsSet.join(', ') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t.options} span={3}>
            <code style={{ whiteSpace: 'pre-wrap' }}>{JSON.stringify(c.options)}</code>
          </Descriptions.Item>
        </Descriptions>
      )}
      {write && (
        <Card size="small" title={t.backfill} style={{ marginBottom: 16 }}>
          <Space wrap>
            <DatePicker.RangePicker format="DD/MM/YYYY" value={range} onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} aria-label={`${t.from} – ${t.to}`} />
            <Button
              disabled={!range?.[0] || !range?.[1]}
              loading={busy === 'backfill'}
              onClick={() =>
                act('backfill', async () => {
                  await apiSend('POST', `/connectors/${id}/backfill`, { from: range![0]!.format('YYYY-MM-DD'), to: range![1]!.format('YYYY-MM-DD') });
                  message.success(t.runQueued);
                  runs.reload();
                })
              }
            >
              {t.backfill}
            </Button>
          </Space>
        </Card>
      )}
      {testResult !== null && (
        <Card size="small" title={t.testResult} style={{ marginBottom: 16 }} extra={<Button size="small" onClick={() => setTestResult(null)}>×</Button>}>
          <Typography.Paragraph>
            <pre style={{ maxHeight: 240, overflow: 'auto', fontSize: 12 }}>{JSON.stringify(testResult, null, 2)}</pre>
          </Typography.Paragraph>
        </Card>
      )}
      <Card size="small" title={t.runHistory}>
        <Table<RunView>
          size="small"
          rowKey="id"
          dataSource={runs.data ?? []}
          pagination={false}
          columns={[
            { title: t.started, render: (_: unknown, r) => dateTime(r.startedAt ?? r.requestedAt) },
            { title: t.trigger, dataIndex: 'trigger' },
            { title: t.status, dataIndex: 'status', render: (s: string) => <RunStatusTag status={s} /> },
            {
              title: t.progress,
              width: 220,
              render: (_: unknown, r) =>
                ACTIVE.has(r.status) ? (
                  <div data-testid="run-progress">
                    <Progress percent={100} status="active" showInfo={false} size="small" aria-label={t.progress} />
                    <span>{`${num(r.counts.pages ?? 0, 0)} ${t.page.toLowerCase()} · ${num(r.counts.fetched ?? 0, 0)} ${t.fetched.toLowerCase()}`}</span>
                  </div>
                ) : (
                  `${num(r.counts.pages ?? 0, 0)} ${t.page.toLowerCase()}`
                ),
            },
            { title: t.fetched, align: 'right', render: (_: unknown, r) => num(r.counts.fetched ?? 0, 0) },
            { title: t.normalised, align: 'right', render: (_: unknown, r) => num(r.counts.normalised ?? 0, 0) },
            { title: t.quarantined, align: 'right', render: (_: unknown, r) => num(r.counts.quarantined ?? 0, 0) },
            { title: t.duration, align: 'right', render: (_: unknown, r) => (r.durationMs === null ? '—' : `${num(r.durationMs / 1000, 1)} s`) },
            {
              title: t.error,
              dataIndex: 'error',
              render: (e: RunView['error']) => (e ? <Typography.Text type="danger">{`${e.code}${e.message ? `: ${e.message}` : ''}`}</Typography.Text> : null),
            },
            {
              title: t.actions,
              render: (_: unknown, r) =>
                write && ACTIVE.has(r.status) ? (
                  r.cancelRequestedAt ? (
                    <Tag>{t.cancelRequested}</Tag>
                  ) : (
                    <Button size="small" danger onClick={() => act('cancel', async () => { await apiSend('POST', `/runs/${r.id}/cancel`); runs.reload(); })}>
                      {t.cancelRun}
                    </Button>
                  )
                ) : null,
            },
          ]}
          expandable={{ expandedRowRender: (r) => <RunSteps runId={r.id} live={ACTIVE.has(r.status)} />, columnTitle: t.stepLog }}
        />
      </Card>
      {editing && c && <ConnectorForm connector={c} onClose={() => setEditing(false)} onSaved={connector.reload} />}
    </>
  );
}

/** The step log of a run (starts, checkpoints, files, retries, warnings, the end), refreshed while it runs. */
function RunSteps({ runId, live }: { runId: string; live: boolean }) {
  const { t, dateTime } = useI18n();
  const steps = useLoad(() => apiGet<RunStep[]>(`/runs/${runId}/steps?limit=200`), [runId]);
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(steps.reload, 1500);
    return () => clearInterval(timer);
  }, [live, steps.reload]);
  return (
    <Table<RunStep>
      size="small"
      rowKey="id"
      pagination={false}
      loading={steps.loading && !steps.data}
      dataSource={steps.data ?? []}
      aria-label={t.stepLog}
      columns={[
        { title: t.started, dataIndex: 'at', width: 170, render: (v: string) => dateTime(v) },
        { title: t.kind, dataIndex: 'kind', width: 110, render: (k: string) => <Tag color={k === 'warning' || k === 'retry' ? TAG.orange : k === 'cancel' ? TAG.red : TAG.default}>{k}</Tag> },
        { title: t.detail, dataIndex: 'message' },
      ]}
    />
  );
}
