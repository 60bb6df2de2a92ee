import { useState } from 'react';
import { Alert, App, Button, Form, Input, Popconfirm, Table, Tag, Typography } from 'antd';
import { apiGet, apiSend } from '../api';
import { FormModal, RoleProvinceFields, withRoleProvince } from '../form-modal';
import { useI18n } from '../i18n';
import { roleLabel } from '../layout';
import type { Role } from '../types';
import { ErrorAlert, PageTitle, useLoad } from '../ui';

interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  provinceCode: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** API keys for machine clients: created (the key is shown once), listed by prefix, revoked. */
export default function ApiKeysPage() {
  const { t, dateTime } = useI18n();
  const { message } = App.useApp();
  const { data, error, loading, reload } = useLoad(() => apiGet<ApiKeyView[]>('/api-keys'), []);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  return (
    <>
      <PageTitle
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t.newApiKey}
          </Button>
        }
      >
        {t.apiKeysTitle}
      </PageTitle>
      <ErrorAlert error={error} />
      {shown && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setShown(null)}
          style={{ marginBottom: 16 }}
          message={t.keyShownOnce}
          description={
            <Typography.Text code copyable data-testid="new-key">
              {shown}
            </Typography.Text>
          }
        />
      )}
      <Table<ApiKeyView>
        rowKey="id"
        loading={loading}
        dataSource={data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t.name, dataIndex: 'name' },
          { title: 'Prefix', dataIndex: 'prefix', render: (v: string) => <code>{v}…</code> },
          { title: t.role, dataIndex: 'role', render: (r: Role) => roleLabel(t, r) },
          { title: t.province, dataIndex: 'provinceCode', render: (v: string | null) => v ?? '—' },
          { title: t.createdAt, dataIndex: 'createdAt', render: (v: string) => dateTime(v) },
          { title: t.expiresAt, dataIndex: 'expiresAt', render: (v: string | null) => dateTime(v) },
          { title: t.lastUsed, dataIndex: 'lastUsedAt', render: (v: string | null) => dateTime(v) },
          {
            title: t.actions,
            render: (_: unknown, k) =>
              k.revokedAt ? (
                <Tag>{`${t.revoked} ${dateTime(k.revokedAt)}`}</Tag>
              ) : (
                <Popconfirm
                  title={t.confirmRevoke}
                  okText={t.yes}
                  cancelText={t.no}
                  onConfirm={async () => {
                    try {
                      await apiSend('POST', `/api-keys/${k.id}/revoke`);
                      reload();
                    } catch (e) {
                      message.error((e as Error).message);
                    }
                  }}
                >
                  <Button danger size="small" aria-label={`${t.revoke} ${k.name}`}>
                    {t.revoke}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {creating && (
        <NewKeyModal
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setShown(key);
            reload();
          }}
        />
      )}
    </>
  );
}

function NewKeyModal({ onClose, onCreated }: { onClose: () => void; onCreated: (key: string) => void }) {
  const { t } = useI18n();
  return (
    <FormModal<{ name: string; role: Role; provinceCode?: string }>
      title={t.newApiKey}
      initialValues={{ role: 'operator' }}
      onClose={onClose}
      send={async (v) => onCreated((await apiSend<{ key: string }>('POST', '/api-keys', { name: v.name, ...withRoleProvince(v) })).key)}
    >
      {(form) => (
        <>
          <Form.Item label={t.name} name="name" rules={[{ required: true, message: t.required }]}>
            <Input />
          </Form.Item>
          <RoleProvinceFields form={form} />
        </>
      )}
    </FormModal>
  );
}
