import { useState } from 'react';
import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Select, Switch, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useNavigate } from 'react-router-dom';
import { ApiError, apiGet, apiSend } from './api';
import { useI18n } from './i18n';
import type { ConnectorView } from './types';
import { useLoad, useProvinces } from './ui';

interface OptionField {
  name: string;
  type: 'integer' | 'boolean' | 'date' | 'string' | 'choices' | 'json';
  min?: number;
  max?: number;
  values?: string[];
  default?: unknown;
  pattern?: string;
  description: string;
}
interface KindForm {
  kind: string;
  credentials: Array<{ name: string; required: boolean }>;
  options: OptionField[];
}

const TOP_FIELDS = ['name', 'baseUrl', 'provinceCode', 'schedule', 'enabled'];

/** A form value for an option as stored (dates become date pickers, JSON becomes text). */
function toFormValue(field: OptionField, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (field.type === 'date') return typeof value === 'string' ? dayjs(value) : undefined;
  if (field.type === 'json') return JSON.stringify(value, null, 2);
  return value;
}

/**
 * Create or edit a connector. The option fields are generated from the kind's description (GET /connector-kinds:
 * type, bounds, default); the API validates everything again and its field-level messages are shown beside the
 * fields they name.
 */
export function ConnectorForm({ connector, onClose, onSaved }: { connector?: ConnectorView; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const provinces = useProvinces();
  const kinds = useLoad(() => apiGet<KindForm[]>('/connector-kinds'), []);
  const [form] = Form.useForm();
  const [kind, setKind] = useState(connector?.kind ?? 'one-stop-shop');
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const spec = kinds.data?.find((k) => k.kind === kind);

  const submit = async () => {
    if (!spec) return;
    // client-side checks show their messages beside the fields; the API checks everything again
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const options: Record<string, unknown> = {};
    for (const f of spec.options) {
      const raw = v.opt?.[f.name];
      if (raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0)) continue;
      if (f.type === 'date') options[f.name] = (raw as Dayjs).format('YYYY-MM-DD');
      else if (f.type === 'json') options[f.name] = JSON.parse(raw as string);
      else options[f.name] = raw;
    }
    const credentials = Object.fromEntries(spec.credentials.map((c) => [c.name, v.cred?.[c.name]]).filter(([, x]) => typeof x === 'string' && x.length > 0));
    const body: Record<string, unknown> = { name: v.name, baseUrl: v.baseUrl, ...(v.provinceCode ? { provinceCode: v.provinceCode } : {}), schedule: v.schedule ? v.schedule : null, enabled: v.enabled, options };
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
      const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
      const rest: string[] = [];
      for (const d of details) {
        const opt = /^options\.([A-Za-z]+)\b/.exec(d);
        const top = /^([A-Za-z]+)\b/.exec(d);
        const cred = /^credentials\.([A-Za-z]+)\b/.exec(d);
        const name = opt && spec.options.some((f) => f.name === opt[1]) ? ['opt', opt[1]] : cred ? ['cred', cred[1]] : top && TOP_FIELDS.includes(top[1]) ? [top[1]] : null;
        if (!name) rest.push(d);
        else {
          const key = name.join('.');
          byField.set(key, { name, errors: [...(byField.get(key)?.errors ?? []), d] });
        }
      }
      form.setFields([...byField.values()]);
      setProblems(rest);
    } finally {
      setBusy(false);
    }
  };

  const initialOptions = Object.fromEntries((spec?.options ?? []).map((f) => [f.name, toFormValue(f, connector ? connector.options[f.name] : f.type === 'json' || f.type === 'boolean' ? f.default : undefined)]));
  return (
    <Modal open title={connector ? t.editConnector : t.newConnector} onCancel={onClose} onOk={() => void submit()} okText={t.save} cancelText={t.cancel} confirmLoading={busy} width={680}>
      {!connector && (
        <Form layout="vertical">
          <Form.Item label={t.kind} htmlFor="connector-kind" required>
            <Select id="connector-kind" value={kind} onChange={setKind} options={(kinds.data ?? []).map((k) => ({ value: k.kind, label: k.kind }))} />
          </Form.Item>
        </Form>
      )}
      {spec && (
        <Form
          key={kind}
          form={form}
          layout="vertical"
          initialValues={{
            name: connector?.name,
            baseUrl: connector?.baseUrl,
            provinceCode: connector?.provinceCode ?? undefined,
            schedule: connector?.schedule ?? '',
            enabled: connector?.enabled ?? true,
            opt: initialOptions,
          }}
        >
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
          {spec.credentials.map((c) => (
            <Form.Item
              key={c.name}
              label={`${t.credentials}: ${c.name}`}
              name={['cred', c.name]}
              extra={t.credentialsHint}
              rules={[{ required: c.required && !connector?.credentialsSet.includes(c.name), message: t.required }]}
            >
              <Input.Password autoComplete="new-password" placeholder={connector?.credentialsSet.includes(c.name) ? '••••••' : ''} />
            </Form.Item>
          ))}
          <Typography.Title level={2} style={{ fontSize: 15 }}>
            {t.options}
          </Typography.Title>
          {spec.options.map((f) => (
            <OptionItem key={f.name} field={f} />
          ))}
          {problems.length > 0 && <Alert role="alert" type="error" showIcon message={problems.join('; ')} />}
        </Form>
      )}
    </Modal>
  );
}

function OptionItem({ field: f }: { field: OptionField }) {
  const { t } = useI18n();
  const bounds = f.min !== undefined ? ` (${f.min}–${f.max})` : '';
  const common = { label: `${f.name}${bounds}`, name: ['opt', f.name], extra: f.description };
  switch (f.type) {
    case 'integer':
      return (
        <Form.Item {...common} rules={[{ type: 'integer', min: f.min, max: f.max, message: `${f.name}: ${f.min}–${f.max}` }]}>
          <InputNumber min={f.min} max={f.max} precision={0} placeholder={f.default === undefined ? '' : String(f.default)} style={{ width: 200 }} />
        </Form.Item>
      );
    case 'boolean':
      return (
        <Form.Item {...common} valuePropName="checked">
          <Switch />
        </Form.Item>
      );
    case 'date':
      return (
        <Form.Item {...common}>
          <DatePicker format="DD/MM/YYYY" />
        </Form.Item>
      );
    case 'choices':
      return (
        <Form.Item {...common}>
          <Select mode="multiple" allowClear placeholder={Array.isArray(f.default) ? f.default.join(', ') : ''} options={(f.values ?? []).map((v) => ({ value: v, label: v }))} />
        </Form.Item>
      );
    case 'json':
      return (
        <Form.Item
          {...common}
          rules={[
            {
              validator: async (_r, value?: string) => {
                if (value) JSON.parse(value);
              },
              message: t.invalidJson,
            },
          ]}
        >
          <Input.TextArea rows={5} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
      );
    default:
      return (
        <Form.Item {...common} rules={f.pattern ? [{ pattern: new RegExp(f.pattern), message: `${f.name}: ${f.description}` }] : []}>
          <Input />
        </Form.Item>
      );
  }
}
