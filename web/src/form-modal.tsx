import { useState, type ReactNode } from 'react';
import { Alert, Form, Modal, Select, type FormInstance } from 'antd';
import { ApiError } from './api';
import { useI18n } from './i18n';
import { roleLabel } from './layout';
import type { Role } from './types';
import { useProvinces } from './ui';

export const ROLE_OPTIONS: Role[] = ['officer', 'auditor', 'appraiser', 'operator', 'admin'];

/** A form in a dialog: validates, sends, shows the API's message when it refuses. */
export function FormModal<T>({
  title,
  initialValues,
  onClose,
  send,
  children,
}: {
  title: string;
  initialValues: Record<string, unknown>;
  onClose: () => void;
  send: (values: T) => Promise<void>;
  children: (form: FormInstance) => ReactNode;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async () => {
    const values = (await form.validateFields()) as T;
    try {
      await send(values);
      onClose();
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => void submit()} okText={t.save} cancelText={t.cancel}>
      <Form form={form} layout="vertical" initialValues={initialValues}>
        {children(form)}
        {problem && <Alert role="alert" type="error" showIcon message={problem} />}
      </Form>
    </Modal>
  );
}

/** Role, and the province an officer is bound to (asked only for officers). */
export function RoleProvinceFields({ form }: { form: FormInstance }) {
  const { t } = useI18n();
  const provinces = useProvinces();
  const role = Form.useWatch('role', form) as Role | undefined;
  return (
    <>
      <Form.Item label={t.role} name="role">
        <Select options={ROLE_OPTIONS.map((r) => ({ value: r, label: roleLabel(t, r) }))} />
      </Form.Item>
      {role === 'officer' && (
        <Form.Item label={t.province} name="provinceCode" rules={[{ required: true, message: t.required }]}>
          <Select showSearch optionFilterProp="label" options={provinces.map((p) => ({ value: p.code, label: `${p.code} · ${p.name}` }))} />
        </Form.Item>
      )}
    </>
  );
}

/** The body of a create call for a role: the province only for officers. */
export function withRoleProvince(values: { role: Role; provinceCode?: string }): { role: Role; provinceCode?: string } {
  return { role: values.role, ...(values.role === 'officer' ? { provinceCode: values.provinceCode } : {}) };
}
