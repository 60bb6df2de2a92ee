import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, apiGet, apiSend } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import type { ConnectorView, RunView } from '../types';
import { ErrorAlert, PageTitle, RunStatusTag, useLoad, useProvinces, TAG } from '../ui';

/** The connector kinds and the credential fields each takes (write-only). */
export const KINDS: Record<string, { credentials: string[]; options: Record<string, unknown> }> = {
  'one-stop-shop': { credentials: ['clientId', 'clientSecret'], options: { initialSyncFrom: '2025-01-01', lagSeconds: 300, pageSize: 1000 } },
  'vnpost-bcci': { credentials: ['apiKey'], options: { lookbackMonths: 3 } },
  'document-management': { credentials: ['apiKey'], options: {} },
  'dvcqg-evaluation': { credentials: [], options: { periods: ['2025'] } },
  'declarative-rest': { credentials: [], options: { source: {} } },
};

type Row = ConnectorView & { lastRun?: RunView | null };

export default function ConnectorsPage() {
  const { t, dateTime } = useI18n();
  const { can } = useSession();
  const [creating, setCreating] = useState(false);
  const { data, error, loading, reload } = useLoad(async () => {
    const connectors = await apiGet<ConnectorView[]>('/connectors');
    return Promise.all(connectors.map(async (c) => ({ ...c, lastRun: (await apiGet<RunView[]>(`/connectors/${c.id}/runs?limit=1`))[0] ?? null })));
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
          { title: t.kind, dataIndex: 'kind', filters: Object.keys(KINDS).map((k) => ({ text: k, value: k })), onFilter: (v, c) => c.kind === v },
          { title: t.province, dataIndex: 'provinceCode', width: 100 },
          { title: t.schedule, dataIndex: 'schedule', render: (v: string | null) => (v ? <code>{v}</code> : '—') },
          { title: t.status, dataIndex: 'enabled', render: (v: boolean) => (v ? <Tag color={TAG.green}>{t.enabled}</Tag> : <Tag>{t.disabled}</Tag>) },
          { title: t.lastRun, render: (_: unknown, c) => (c.lastRun ? dateTime(c.lastRun.finishedAt ?? c.lastRun.requestedAt) : '—') },
          { title: t.outcome, render: (_: unknown, c) => (c.lastRun ? <RunStatusTag status={c.lastRun.status} /> : '—') },
        ]}
      />
      {creating && <ConnectorForm onClose={() => setCreating(false)} onSaved={reload} />}
    </>
  );
}

/** Create or edit a connector; the API validates every field and its messages are shown beside the fields. */
export function ConnectorForm({ connector, onClose, onSaved }: { connector?: ConnectorView; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const provinces = useProvinces();
  const [form] = Form.useForm();
  const [kind, setKind] = useState(connector?.kind ?? 'one-stop-shop');
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const credentialFields = KINDS[kind]?.credentials ?? [];
  const submit = async () => {
    const v = await form.validateFields();
    let options: unknown;
    try {
      options = JSON.parse(v.options || '{}');
    } catch {
      form.setFields([{ name: 'options', errors: [t.invalidJson] }]);
      return;
    }
    const credentials = Object.fromEntries(credentialFields.map((f) => [f, v[`cred_${f}`]]).filter(([, x]) => typeof x === 'string' && x.length > 0));
    const body: Record<string, unknown> = {
      name: v.name,
      baseUrl: v.baseUrl,
      provinceCode: v.provinceCode ?? null,
      schedule: v.schedule ? v.schedule : null,
      enabled: v.enabled,
      options,
    };
    if (!connector) body.kind = kind;
    if (Object.keys(credentials).length > 0) body.credentials = credentials;
    setBusy(true);
    setProblems([]);
    try {
      const saved = await apiSend<ConnectorView>(connector ? 'PATCH' : 'POST', connector ? `/connectors/${connector.id}` : '/connectors', body);
      message.success(t.saved);
      onSaved();
      onClose();
      if (!connector) navigate(`/app/connectors/${saved.id}`);
    } catch (e) {
      const details = e instanceof ApiError ? e.details : [String(e)];
      // "field: message" answers go beside their field; the rest above the form
      const byField = new Map<string, string[]>();
      const rest: string[] = [];
      for (const d of details) {
        const m = /^([A-Za-z]+)(?:[.[][^:]*)?:\s*(.+)$/.exec(d);
        const field = m && ['name', 'baseUrl', 'provinceCode', 'schedule', 'options', 'credentials', 'kind'].includes(m[1]) ? m[1] : null;
        if (field === 'credentials' || field === 'kind') rest.push(d);
        else if (field) byField.set(field, [...(byField.get(field) ?? []), d]);
        else rest.push(d);
      }
      form.setFields([...byField.entries()].map(([name, errors]) => ({ name, errors })));
      setProblems(rest.length ? rest : details.length ? [] : [(e as Error).message]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={connector ? t.editConnector : t.newConnector} onCancel={onClose} onOk={() => void submit()} okText={t.save} cancelText={t.cancel} confirmLoading={busy} width={640}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          name: connector?.name,
          baseUrl: connector?.baseUrl,
          provinceCode: connector?.provinceCode ?? undefined,
          schedule: connector?.schedule ?? '',
          enabled: connector?.enabled ?? true,
          options: JSON.stringify(connector?.options ?? KINDS[kind]?.options ?? {}, null, 2),
        }}
      >
        {!connector && (
          <Form.Item label={t.kind} required>
            <Select
              aria-label={t.kind}
              value={kind}
              onChange={(k: string) => {
                setKind(k);
                form.setFieldValue('options', JSON.stringify(KINDS[k]?.options ?? {}, null, 2));
              }}
              options={Object.keys(KINDS).map((k) => ({ value: k, label: k }))}
            />
          </Form.Item>
        )}
        <Form.Item label={t.name} name="name" rules={[{ required: true, message: t.required }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t.baseUrl} name="baseUrl" rules={[{ required: true, message: t.required }]}>
          <Input placeholder="https://…" />
        </Form.Item>
        <Form.Item label={t.province} name="provinceCode">
          <Select allowClear showSearch optionFilterProp="label" options={provinces.map((p) => ({ value: p.code, label: `${p.code} · ${p.name}` }))} />
        </Form.Item>
        <Form.Item label={`${t.schedule} (${t.cronHint})`} name="schedule">
          <Input placeholder="0 2 * * *" />
        </Form.Item>
        <Form.Item label={t.enabled} name="enabled" valuePropName="checked">
          <Switch />
        </Form.Item>
        {credentialFields.map((f) => (
          <Form.Item key={f} label={`${t.credentials}: ${f}`} name={`cred_${f}`} extra={t.credentialsHint}>
            <Input.Password autoComplete="new-password" placeholder={connector?.credentialsSet.includes(f) ? '••••••' : ''} />
          </Form.Item>
        ))}
        <Form.Item label={`${t.options} (JSON)`} name="options">
          <Input.TextArea rows={6} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        {problems.length > 0 && <Alert role="alert" type="error" showIcon message={problems.join('; ')} />}
      </Form>
    </Modal>
  );
}
