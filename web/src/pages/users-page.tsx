import { useState } from 'react';
import { App, Button, Form, Input, Switch, Table, Tag } from 'antd';
import { apiGet, apiSend } from '../api';
import { FormModal, ROLE_OPTIONS, RoleProvinceFields, withRoleProvince } from '../form-modal';
import { useI18n } from '../i18n';
import { roleLabel } from '../layout';
import type { Role } from '../types';
import { ErrorAlert, PageTitle, useLoad, TAG } from '../ui';

interface UserView {
  id: string;
  username: string;
  role: Role;
  provinceCode: string | null;
  disabled: boolean;
  createdAt: string;
}

/** Users and their roles and provinces (administrators). */
export default function UsersPage() {
  const { t, dateTime } = useI18n();
  const { message } = App.useApp();
  const { data, error, loading, reload } = useLoad(() => apiGet<UserView[]>('/users'), []);
  const [creating, setCreating] = useState(false);
  const change = async (u: UserView, patch: Partial<UserView>) => {
    try {
      await apiSend('PATCH', `/users/${u.id}`, patch);
      message.success(t.saved);
      reload();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <>
      <PageTitle
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t.newUser}
          </Button>
        }
      >
        {t.usersTitle}
      </PageTitle>
      <ErrorAlert error={error} />
      <Table<UserView>
        rowKey="id"
        loading={loading}
        dataSource={data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t.username, dataIndex: 'username' },
          { title: t.role, dataIndex: 'role', render: (r: Role) => <Tag color={TAG.red}>{roleLabel(t, r)}</Tag>, filters: ROLE_OPTIONS.map((r) => ({ text: roleLabel(t, r), value: r })), onFilter: (v, u) => u.role === v },
          { title: t.province, dataIndex: 'provinceCode', render: (v: string | null) => v ?? '—' },
          { title: t.createdAt, dataIndex: 'createdAt', render: (v: string) => dateTime(v) },
          {
            title: t.enabled,
            dataIndex: 'disabled',
            render: (d: boolean, u) => <Switch checked={!d} aria-label={`${t.enabled}: ${u.username}`} onChange={(on) => void change(u, { disabled: !on })} />,
          },
        ]}
      />
      {creating && <NewUserModal onClose={() => setCreating(false)} onSaved={reload} />}
    </>
  );
}

function NewUserModal({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  return (
    <FormModal<{ username: string; password: string; role: Role; provinceCode?: string }>
      title={t.newUser}
      initialValues={{ role: 'officer' }}
      onClose={onClose}
      send={async (v) => {
        await apiSend('POST', '/users', { username: v.username, password: v.password, ...withRoleProvince(v) });
        onSaved();
      }}
    >
      {(form) => (
        <>
          <Form.Item label={t.username} name="username" rules={[{ required: true, message: t.required }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item label={t.password} name="password" rules={[{ required: true, message: t.required }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <RoleProvinceFields form={form} />
        </>
      )}
    </FormModal>
  );
}
