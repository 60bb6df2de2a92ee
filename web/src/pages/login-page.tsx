import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Select, Typography } from 'antd';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api';
import { useI18n } from '../i18n';
import { homeOf, useSession } from '../session';

export function LoginPage() {
  const { t, lang, setLang } = useI18n();
  const { me, signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = params.get('next');
  if (me) return <Navigate to={next && next.startsWith('/app/') ? next : homeOf(me)} replace />;
  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f5f5' }}>
      <Card style={{ width: 380 }}>
        <Typography.Title level={1} style={{ fontSize: 22, color: '#a8071a', marginBottom: 0 }}>
          {t.appName}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t.appTagline}</Typography.Paragraph>
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={async (values: { username: string; password: string }) => {
            setBusy(true);
            setError(null);
            try {
              const who = await signIn(values.username, values.password);
              navigate(next && next.startsWith('/app/') ? next : homeOf(who), { replace: true });
            } catch (e) {
              setError(e instanceof ApiError ? e.message : String(e));
            } finally {
              setBusy(false);
            }
          }}
        >
          <Form.Item label={t.username} name="username" rules={[{ required: true, message: t.required }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label={t.password} name="password" rules={[{ required: true, message: t.required }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Alert role="alert" type="error" showIcon message={t.signInFailed} description={error} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t.signIn}
          </Button>
        </Form>
        <div style={{ marginTop: 16, textAlign: 'right' }}>
          <Select
            aria-label={t.language}
            value={lang}
            onChange={setLang}
            size="small"
            style={{ width: 120 }}
            options={[
              { value: 'vi', label: 'Tiếng Việt' },
              { value: 'en', label: 'English' },
            ]}
          />
        </div>
      </Card>
    </main>
  );
}
