import { Alert, Card, Col, Progress, Row, Select, Space, Statistic, Table, Tag } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { apiGet, q } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import type { Scorecard, ScorecardCatalogue, ScorecardItem } from '../types';
import { ErrorAlert, PageTitle, ProvinceYearPicker, StatusTag, defaultYear, useLoad, TAG } from '../ui';

type Row = { key: string; code: string; title: string; field?: true; item?: ScorecardItem; points: number | null; maxPoints: number; children?: Row[] };

/** The catalogue shown first: an official or draft PAR INDEX catalogue before demo ones. */
export function preferredCatalogue(catalogues: ScorecardCatalogue[]): string | undefined {
  const rank = (c: ScorecardCatalogue) => (c.framework === 'PAR_INDEX' ? 0 : 1) * 2 + (c.status === 'demo' ? 1 : 0);
  return [...catalogues].sort((a, b) => rank(a) - rank(b))[0]?.catalogue;
}

export default function ScorecardPage() {
  const { t, num, date } = useI18n();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const province = me?.provinceCode ?? params.get('province') ?? '01';
  const year = Number(params.get('year') ?? defaultYear());
  const { data, error, loading } = useLoad(() => apiGet<Scorecard>(`/provinces/${province}/years/${year}/scorecard`), [province, year]);
  const chosen = params.get('catalogue') ?? (data ? preferredCatalogue(data.catalogues) : undefined);
  const card = data?.catalogues.find((c) => c.catalogue === chosen);
  const set = (next: Record<string, string>) => setParams({ province, year: String(year), ...(chosen ? { catalogue: chosen } : {}), ...next });

  const rows: Row[] = card
    ? card.fields.length > 0
      ? card.fields.map((f) => ({
          key: `f${f.code}`,
          code: f.code,
          title: f.title,
          field: true,
          points: f.points,
          maxPoints: f.maxPoints,
          children: card.items.filter((i) => i.field === f.code).map((i) => ({ key: i.subCriterion, code: i.subCriterion, title: i.title, item: i, points: i.points, maxPoints: i.maxPoints })),
        }))
      : card.items.map((i) => ({ key: i.subCriterion, code: i.subCriterion, title: i.title, item: i, points: i.points, maxPoints: i.maxPoints }))
    : [];

  const itemLink = (i: ScorecardItem) => `/app/provinces/${province}/years/${year}/items/${q(card!.catalogue)}/${q(i.subCriterion)}`;
  const sourceOf = (i: ScorecardItem) => (i.kind === 'manual' ? t.sourceDocument : i.kind === 'imported' ? t.sourceImported : t.sourceData);

  return (
    <>
      <PageTitle extra={<ProvinceYearPicker province={province} year={year} onChange={(p, y) => setParams({ province: p, year: String(y) })} />}>
        {t.navScorecard}
      </PageTitle>
      <ErrorAlert error={error} />
      {data && (
        <Space style={{ marginBottom: 16 }} wrap>
          <Select
            aria-label={t.catalogue}
            value={chosen}
            onChange={(c) => set({ catalogue: c })}
            style={{ width: 340 }}
            options={data.catalogues.map((c) => ({ value: c.catalogue, label: `${c.catalogue}${c.status !== 'official' ? ` (${c.status})` : ''}` }))}
          />
        </Space>
      )}
      {card && (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col xs={24} md={8}>
              <Card>
                <Statistic title={t.points} value={num(card.totals.points)} suffix={`/ ${num(card.totals.maxPoints)}`} />
              </Card>
            </Col>
            <Col xs={24} md={8}>
              <Card>
                <div id="coverage-label" style={{ color: 'rgba(0,0,0,0.65)', marginBottom: 8 }}>{t.coverageTitle}</div>
                <Progress percent={Math.round(card.coverage.share * 1000) / 10} aria-labelledby="coverage-label" />
              </Card>
            </Col>
            <Col xs={24} md={8}>
              <Card>
                <Space wrap>
                  <Tag color={TAG.green}>{`${t.statusAutoFilled}: ${card.coverage.filledFromData}`}</Tag>
                  <Tag color={TAG.gold}>{`${t.statusManualNeeded}: ${card.coverage.manualNeeded}`}</Tag>
                  <Tag>{`${t.statusNoData}: ${card.totals.noData.length}`}</Tag>
                </Space>
              </Card>
            </Col>
          </Row>
          <Alert
            type="info"
            showIcon
            data-testid="burden"
            style={{ marginBottom: 16 }}
            message={t.burden(num(card.coverage.pointsFromData), card.coverage.filledFromData, card.coverage.manualNeeded)}
          />
        </>
      )}
      <Table<Row>
        loading={loading}
        rowKey="key"
        size="middle"
        pagination={false}
        dataSource={rows}
        expandable={{ defaultExpandAllRows: true, expandRowByClick: false }}
        key={card?.catalogue ?? 'none'}
        rowClassName={(r) => (r.field ? 'field-row' : '')}
        columns={[
          { title: t.code, dataIndex: 'code', width: 110 },
          {
            title: t.title,
            dataIndex: 'title',
            render: (title: string, r) => (r.item ? <Link to={itemLink(r.item)}>{title}</Link> : <strong>{title}</strong>),
          },
          { title: t.status, width: 150, render: (_: unknown, r) => (r.item ? <StatusTag status={r.item.status} /> : null) },
          {
            title: t.points,
            width: 120,
            align: 'right',
            render: (_: unknown, r) => <span data-testid={r.item ? `points-${r.code}` : undefined}>{`${num(r.points)} / ${num(r.maxPoints)}`}</span>,
          },
          { title: t.source, width: 170, render: (_: unknown, r) => (r.item ? sourceOf(r.item) : null) },
          { title: t.freshness, width: 120, render: (_: unknown, r) => (r.item ? date(r.item.evidenceComputedAt ?? r.item.computedAt) : null) },
        ]}
      />
    </>
  );
}
