import { useState } from 'react';
import { Button, Card, Space, Switch, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { apiGet } from '../api';
import { exportTable, type ExportTable } from '../export';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import type { ScoreCheck } from '../types';
import { ErrorAlert, PageTitle, ProvinceYearPicker, defaultYear, useLoad, TAG } from '../ui';

interface Finding {
  id: number;
  monthKey: string;
  direction: string;
  matched: number;
  matchedByFallback: number;
  unmatchedWaybills: number;
  unmatchedDossiers: number;
}

function ExportButtons({ table }: { table: ExportTable }) {
  const { t } = useI18n();
  return (
    <Space>
      <Button size="small" onClick={() => void exportTable(table, 'csv')}>
        {t.exportCsv}
      </Button>
      <Button size="small" onClick={() => void exportTable(table, 'xlsx')}>
        {t.exportXlsx}
      </Button>
    </Space>
  );
}

/** Official vs recomputed differences and postal reconciliation findings of a province and year, exportable as shown. */
export default function FindingsPage() {
  const { t, num } = useI18n();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const province = me?.provinceCode ?? params.get('province') ?? '01';
  const year = Number(params.get('year') ?? defaultYear());
  const [onlyDiff, setOnlyDiff] = useState(params.get('only') === '1');
  const checks = useLoad(() => apiGet<ScoreCheck[]>(`/provinces/${province}/years/${year}/score-checks`), [province, year]);
  const recon = useLoad(() => apiGet<{ findings: Finding[] }>(`/provinces/${province}/years/${year}/findings`), [province, year]);
  const shownChecks = (checks.data ?? []).filter((c) => !onlyDiff || c.finding);
  const shownRecon = (recon.data?.findings ?? []).filter((f) => !onlyDiff || f.unmatchedWaybills > 0 || f.unmatchedDossiers > 0);
  const checksTable: ExportTable = {
    name: `score-checks-${province}-${year}`,
    header: [t.catalogue, t.code, t.metric, t.official, t.recomputed, t.difference],
    rows: shownChecks.map((c) => [c.catalogue, c.subCriterion, c.metric, c.officialPoints, c.computedPoints, c.difference]),
  };
  const reconTable: ExportTable = {
    name: `reconciliation-${province}-${year}`,
    header: [t.period, t.direction, t.matched, t.unmatchedWaybills, t.unmatchedDossiers],
    rows: shownRecon.map((f) => [f.monthKey, f.direction, f.matched, f.unmatchedWaybills, f.unmatchedDossiers]),
  };
  return (
    <>
      <PageTitle extra={<ProvinceYearPicker province={province} year={year} onChange={(p, y) => setParams({ province: p, year: String(y) })} />}>
        {t.findingsTitle}
      </PageTitle>
      <ErrorAlert error={checks.error ?? recon.error} />
      <Space style={{ marginBottom: 16 }}>
        <Switch id="only-diff" checked={onlyDiff} onChange={setOnlyDiff} aria-label={t.onlyDifferences} />
        <label htmlFor="only-diff">{t.onlyDifferences}</label>
      </Space>
      <Card title={t.scoreChecks} size="small" extra={<ExportButtons table={checksTable} />} style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey={(c) => `${c.catalogue}|${c.subCriterion}|${c.metric}`}
          loading={checks.loading}
          dataSource={shownChecks}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t.catalogue, dataIndex: 'catalogue' },
            { title: t.code, dataIndex: 'subCriterion', sorter: (a, b) => a.subCriterion.localeCompare(b.subCriterion) },
            { title: t.official, dataIndex: 'officialPoints', align: 'right', render: (v: number | null) => num(v, 4) },
            { title: t.recomputed, dataIndex: 'computedPoints', align: 'right', render: (v: number | null) => num(v, 4) },
            {
              title: t.difference,
              dataIndex: 'difference',
              align: 'right',
              sorter: (a, b) => Math.abs(a.difference ?? 0) - Math.abs(b.difference ?? 0),
              render: (v: number | null, c) => (c.finding ? <Tag color={TAG.red}>{num(v, 4)}</Tag> : num(v, 4)),
            },
            { title: t.navLineage, render: (_: unknown, c) => (c.scoreId ? <Link to={`/app/lineage/${c.scoreId}`}>#{c.scoreId}</Link> : '—') },
          ]}
        />
      </Card>
      <Card title={t.reconciliation} size="small" extra={<ExportButtons table={reconTable} />}>
        <Table
          size="small"
          rowKey="id"
          loading={recon.loading}
          dataSource={shownRecon}
          pagination={{ pageSize: 24, hideOnSinglePage: true }}
          columns={[
            { title: t.period, dataIndex: 'monthKey' },
            { title: t.direction, dataIndex: 'direction' },
            { title: t.matched, dataIndex: 'matched', align: 'right', render: (v: number) => num(v, 0) },
            { title: t.unmatchedWaybills, dataIndex: 'unmatchedWaybills', align: 'right', render: (v: number) => num(v, 0) },
            { title: t.unmatchedDossiers, dataIndex: 'unmatchedDossiers', align: 'right', render: (v: number) => num(v, 0) },
          ]}
        />
      </Card>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} />
    </>
  );
}
