import { Button, Select, Space, Table, Tag } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { apiGet, q } from '../api';
import { exportTable } from '../export';
import { useI18n } from '../i18n';
import { ErrorAlert, PageTitle, useLoad, TAG } from '../ui';

interface QuarantineItem {
  id: number;
  connectorId: string;
  runId: string;
  provinceCode: string | null;
  entity: string;
  rawDigest: string;
  rawPosition: number | null;
  sheet: string | null;
  recordKey: string | null;
  reasonCode: string;
  field: string | null;
  detail: string;
  createdAt: string;
}

const PAGE = 50;

/** Records that could not be used, by reason; paged on the server. */
export default function QuarantinePage() {
  const { t, dateTime } = useI18n();
  const [params, setParams] = useSearchParams();
  const reason = params.get('reason') ?? undefined;
  const page = Number(params.get('page') ?? 1);
  const { data, error, loading } = useLoad(
    () => apiGet<{ byReason: Record<string, number>; items: QuarantineItem[] }>(`/quarantine?limit=${PAGE}&offset=${(page - 1) * PAGE}${reason ? `&reasonCode=${q(reason)}` : ''}`),
    [reason, page],
  );
  const total = Object.values(data?.byReason ?? {}).reduce((a, b) => a + b, 0);
  const items = data?.items ?? [];
  return (
    <>
      <PageTitle
        extra={
          <Space>
            <Select
              allowClear
              aria-label={t.reason}
              placeholder={t.reason}
              style={{ width: 240 }}
              value={reason}
              onChange={(r?: string) => setParams(r ? { reason: r } : {})}
              options={Object.entries(data?.byReason ?? {}).map(([code, n]) => ({ value: code, label: `${code} (${n})` }))}
            />
            <Button
              onClick={() =>
                void exportTable(
                  {
                    name: `quarantine${reason ? `-${reason}` : ''}-p${page}`,
                    header: ['id', t.reason, t.field, 'detail', t.province, 'record', t.digest, t.position, t.receivedAt],
                    rows: items.map((i) => [i.id, i.reasonCode, i.field, i.detail, i.provinceCode, i.recordKey, i.rawDigest, i.rawPosition, i.createdAt]),
                  },
                  'csv',
                )
              }
            >
              {t.exportCsv}
            </Button>
          </Space>
        }
      >
        {t.navQuarantine}
      </PageTitle>
      <Space wrap style={{ marginBottom: 12 }}>
        {Object.entries(data?.byReason ?? {}).map(([code, n]) => (
          <Tag key={code}>{`${code}: ${n}`}</Tag>
        ))}
      </Space>
      <ErrorAlert error={error} />
      <Table<QuarantineItem>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={{ current: page, pageSize: PAGE, total, showSizeChanger: false, onChange: (p) => setParams({ ...(reason ? { reason } : {}), page: String(p) }) }}
        columns={[
          { title: t.reason, dataIndex: 'reasonCode', render: (v: string) => <Tag color={TAG.orange}>{v}</Tag> },
          { title: t.field, dataIndex: 'field' },
          { title: t.detail, dataIndex: 'detail' },
          { title: t.province, dataIndex: 'provinceCode', width: 90 },
          { title: t.position, render: (_: unknown, i) => `${i.rawDigest.slice(0, 12)}… #${i.rawPosition ?? '—'}${i.sheet ? ` (${i.sheet})` : ''}` },
          { title: t.receivedAt, dataIndex: 'createdAt', render: (v: string) => dateTime(v) },
        ]}
      />
    </>
  );
}
