import { Card, Col, Row, Select, Space, Statistic, Table, Tag } from 'antd';
import { Chart } from '../charts';
import { useSearchParams } from 'react-router-dom';
import { apiGet, q } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import type { ScoreCheck, Scorecard, ScorecardCatalogue } from '../types';
import { Units766Table } from './units-766-table';
import { ErrorAlert, PageTitle, ProvinceYearPicker, StatusTag, TAG, defaultYear, useLoad } from '../ui';


const MONTHS = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));

/**
 * Decision 766 board of a province: total and groups for a period (year, quarter or month), recomputed vs
 * official scores with the differences flagged, and the monthly trend of the total.
 */
export default function Board766Page() {
  const { t, num } = useI18n();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const province = me?.provinceCode ?? params.get('province') ?? '01';
  const year = Number(params.get('year') ?? defaultYear());
  const period = params.get('period') ?? String(year);
  const catalogues = useLoad(() => apiGet<Array<{ catalogue: string; framework: string }>>('/catalogues'), []);
  const catalogue = catalogues.data?.find((c) => c.framework === 'QD766')?.catalogue;
  const card = useLoad(
    async () => (catalogue ? (await apiGet<Scorecard>(`/provinces/${province}/years/${year}/scorecard?catalogue=${q(catalogue)}&period=${period}`)).catalogues[0] : undefined),
    [catalogue, province, year, period],
  );
  const checks = useLoad(() => apiGet<ScoreCheck[]>(`/provinces/${province}/years/${year}/score-checks`), [province, year]);
  const trend = useLoad(
    async () =>
      catalogue
        ? Promise.all(
            MONTHS.map(async (m) => {
              const c = (await apiGet<Scorecard>(`/provinces/${province}/years/${year}/scorecard?catalogue=${q(catalogue)}&period=${year}-${m}`)).catalogues[0] as ScorecardCatalogue | undefined;
              return c && c.items.some((i) => i.points !== null) ? c.totals.points : null;
            }),
          )
        : [],
    [catalogue, province, year],
  );
  const c = card.data;
  const official = new Map((checks.data ?? []).filter((x) => x.catalogue === catalogue).map((x) => [x.subCriterion, x]));
  const periods = [String(year), ...[1, 2, 3, 4].map((n) => `${year}-Q${n}`), ...MONTHS.map((m) => `${year}-${m}`)];
  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            <ProvinceYearPicker province={province} year={year} onChange={(p, y) => setParams({ province: p, year: String(y) })} />
            <Select aria-label={t.period} value={period} style={{ width: 120 }} onChange={(v) => setParams({ province, year: String(year), period: v })} options={periods.map((p) => ({ value: p, label: p }))} />
          </Space>
        }
      >
        {t.board766Title}
      </PageTitle>
      <ErrorAlert error={catalogues.error ?? card.error ?? checks.error} />
      {c && (
        <Row gutter={16} style={{ marginBottom: 16 }}>
          <Col xs={24} md={6}>
            <Card>
              <Statistic title={`${t.total} (${period})`} value={num(c.totals.points)} suffix={`/ ${num(c.totals.maxPoints)}`} />
            </Card>
          </Col>
          <Col xs={24} md={18}>
            <Card size="small" title={t.monthlyTrend}>
              <Chart
                label={t.monthlyTrend}
                style={{ height: 160 }}
                option={{
                      grid: { left: 40, right: 16, top: 16, bottom: 24 },
                  xAxis: { type: 'category', data: MONTHS.map((m) => `${m}/${year}`) },
                  yAxis: { type: 'value', max: c.totals.maxPoints },
                  tooltip: { trigger: 'axis' },
                  series: [{ type: 'line', data: trend.data ?? [], connectNulls: false, itemStyle: { color: '#a8071a' } }],
                }}
              />
            </Card>
          </Col>
        </Row>
      )}
      {c && (
        <Card size="small" title={t.groups} style={{ marginBottom: 16 }}>
          <Table
            size="small"
            rowKey="code"
            pagination={false}
            dataSource={c.fields}
            columns={[
              { title: t.code, dataIndex: 'code', width: 70 },
              { title: t.title, dataIndex: 'title' },
              { title: t.points, align: 'right', render: (_: unknown, f) => `${num(f.points)} / ${num(f.maxPoints)}` },
              { title: t.statusAutoFilled, dataIndex: 'filledFromData', align: 'right' },
            ]}
          />
        </Card>
      )}
      {c && (
        <Card size="small" title={`${t.itemTitle}: ${t.recomputed} / ${t.official}`}>
          <Table
            size="small"
            rowKey="subCriterion"
            pagination={false}
            dataSource={c.items}
            columns={[
              { title: t.code, dataIndex: 'subCriterion', width: 70 },
              { title: t.title, dataIndex: 'title' },
              { title: t.status, render: (_: unknown, i) => <StatusTag status={i.status} /> },
              { title: t.recomputed, align: 'right', render: (_: unknown, i) => `${num(i.points, 4)} / ${num(i.maxPoints)}` },
              { title: t.official, align: 'right', render: (_: unknown, i) => num(official.get(i.subCriterion)?.officialPoints ?? null, 4) },
              {
                title: t.difference,
                align: 'right',
                render: (_: unknown, i) => {
                  const x = official.get(i.subCriterion);
                  return x?.finding ? <Tag color={TAG.red}>{num(x.difference, 4)}</Tag> : num(x?.difference ?? null, 4);
                },
              },
            ]}
          />
        </Card>
      )}
      <Units766Table province={province} period={period} />
    </>
  );
}
