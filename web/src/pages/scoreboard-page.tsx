import { App, Button, Card, Popconfirm, Select, Space, Table } from 'antd';
import { Chart } from '../charts';
import { useSearchParams } from 'react-router-dom';
import { apiGet, apiSend, q } from '../api';
import { useSession } from '../session';
import { useI18n } from '../i18n';
import { ErrorAlert, PageTitle, defaultYear, useLoad, useProvinces } from '../ui';

interface BoardRow {
  rank: number;
  provinceCode: string;
  region: string | null;
  catalogue: string;
  points: number | null;
  maxPoints: number;
  coverage: number | null;
  scored: number;
  noData: number;
  manual: number;
}

/** The national ranking for a year and catalogue, as a table and a chart (an officer sees the own province only). */
export default function ScoreboardPage() {
  const { t, num } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year') ?? defaultYear());
  const catalogues = useLoad(() => apiGet<Array<{ catalogue: string; framework: string; status: string }>>('/catalogues'), []);
  const catalogue = params.get('catalogue') ?? catalogues.data?.find((c) => c.framework === 'PAR_INDEX' && c.status !== 'demo')?.catalogue;
  const board = useLoad(async () => (catalogue ? apiGet<BoardRow[]>(`/scoreboard?year=${year}&catalogue=${q(catalogue)}`) : []), [year, catalogue]);
  const names = new Map(useProvinces().map((p) => [p.code, p.name]));
  const rows = board.data ?? [];
  const years = Array.from({ length: 5 }, (_, i) => new Date().getFullYear() - i);
  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            {can('results.publish') && (
              <Popconfirm
                title={t.confirmPublish}
                okText={t.yes}
                cancelText={t.no}
                onConfirm={async () => {
                  try {
                    await apiSend('POST', `/results/${year}/publish`);
                    message.success(`${t.published}: ${year}`);
                    board.reload();
                  } catch (e) {
                    message.error((e as Error).message);
                  }
                }}
              >
                <Button>{t.publish(year)}</Button>
              </Popconfirm>
            )}
            <Select aria-label={t.year} value={year} style={{ width: 100 }} onChange={(y) => setParams({ year: String(y), ...(catalogue ? { catalogue } : {}) })} options={years.map((y) => ({ value: y, label: String(y) }))} />
            <Select
              aria-label={t.catalogue}
              value={catalogue}
              style={{ width: 320 }}
              onChange={(c) => setParams({ year: String(year), catalogue: c })}
              options={(catalogues.data ?? []).map((c) => ({ value: c.catalogue, label: c.catalogue }))}
            />
          </Space>
        }
      >
        {t.scoreboardTitle}
      </PageTitle>
      <ErrorAlert error={board.error ?? catalogues.error} />
      {rows.length > 0 && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <Chart
            label={t.scoreboardTitle}
            style={{ height: Math.max(200, rows.length * 22) }}
            option={{
              grid: { left: 160, right: 40, top: 10, bottom: 20 },
              xAxis: { type: 'value', max: rows[0]?.maxPoints },
              yAxis: { type: 'category', inverse: true, data: rows.map((r) => names.get(r.provinceCode) ?? r.provinceCode) },
              series: [{ type: 'bar', data: rows.map((r) => r.points ?? 0), itemStyle: { color: '#a8071a' }, label: { show: true, position: 'right' } }],
              tooltip: { trigger: 'axis' },
            }}
          />
        </Card>
      )}
      <Table<BoardRow>
        rowKey="provinceCode"
        size="small"
        loading={board.loading}
        dataSource={rows}
        pagination={{ pageSize: 40, hideOnSinglePage: true }}
        columns={[
          { title: t.rank, dataIndex: 'rank', width: 70, sorter: (a, b) => a.rank - b.rank },
          { title: t.province, render: (_: unknown, r) => `${r.provinceCode} · ${names.get(r.provinceCode) ?? ''}` },
          { title: t.points, dataIndex: 'points', align: 'right', sorter: (a, b) => (a.points ?? 0) - (b.points ?? 0), render: (v: number | null, r) => `${num(v)} / ${num(r.maxPoints)}` },
          { title: t.coverage, dataIndex: 'coverage', align: 'right', render: (v: number | null) => (v === null ? '—' : `${num(v * 100, 1)}%`) },
          { title: t.statusAutoFilled, dataIndex: 'scored', align: 'right' },
          { title: t.statusManualNeeded, dataIndex: 'manual', align: 'right' },
          { title: t.statusNoData, dataIndex: 'noData', align: 'right' },
        ]}
      />
    </>
  );
}
