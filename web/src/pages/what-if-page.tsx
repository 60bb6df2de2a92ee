import { useState } from 'react';
import { Alert, Button, Card, Select, Space, Table, Tag } from 'antd';
import { apiGet, apiSend } from '../api';
import { exportTable } from '../export';
import { useI18n } from '../i18n';
import { ErrorAlert, PageTitle, TAG, defaultYear, useLoad, useProvinces } from '../ui';

interface Scenario {
  key: string;
  title: string;
  baselineCatalogue: string;
}
interface WhatIfRow {
  provinceCode: string;
  officialPoints: number | null;
  officialRank: number | null;
  scenarioPoints: number | null;
  scenarioRank: number | null;
  deltaPoints: number | null;
  deltaRank: number | null;
}
interface WhatIf {
  note: string;
  baselineCatalogue: string;
  scenarioCatalogue: string;
  rows: WhatIfRow[];
}

const signed = (n: number | null, fmt: (n: number) => string) => (n === null ? '—' : n > 0 ? `+${fmt(n)}` : fmt(n));

/** What-if: a weighting scenario or a draft catalogue beside the official scores and ranks (nothing is stored). */
export default function WhatIfPage() {
  const { t, num } = useI18n();
  const names = new Map(useProvinces().map((p) => [p.code, p.name]));
  const scenarios = useLoad(() => apiGet<Scenario[]>('/scenarios'), []);
  const catalogues = useLoad(() => apiGet<Array<{ catalogue: string }>>('/catalogues'), []);
  const [year, setYear] = useState(defaultYear());
  const [scenario, setScenario] = useState<string | undefined>();
  const [baseline, setBaseline] = useState<string | undefined>();
  const [draft, setDraft] = useState<string | undefined>();
  const [result, setResult] = useState<WhatIf | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const evaluate = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = scenario ? { year, scenario, ...(draft ? { scenarioCatalogue: draft } : {}) } : { year, baselineCatalogue: baseline, scenarioCatalogue: draft };
      setResult(await apiSend<WhatIf>('POST', '/scenarios/evaluate', body));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const catalogueOptions = (catalogues.data ?? []).map((c) => ({ value: c.catalogue, label: c.catalogue }));
  return (
    <>
      <PageTitle>{t.whatIfTitle}</PageTitle>
      <ErrorAlert error={scenarios.error ?? catalogues.error ?? error} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap>
          <Select aria-label={t.year} value={year} onChange={setYear} style={{ width: 100 }} options={[0, 1, 2, 3].map((i) => ({ value: defaultYear() + 1 - i, label: String(defaultYear() + 1 - i) }))} />
          <Select
            aria-label={t.scenario}
            placeholder={t.scenario}
            allowClear
            value={scenario}
            onChange={setScenario}
            style={{ width: 360 }}
            options={(scenarios.data ?? []).map((s) => ({ value: s.key, label: s.title }))}
          />
          {!scenario && <Select aria-label={t.baselineCatalogue} placeholder={t.baselineCatalogue} value={baseline} onChange={setBaseline} style={{ width: 280 }} options={catalogueOptions} />}
          <Select aria-label={t.draftCatalogue} placeholder={t.draftCatalogue} allowClear value={draft} onChange={setDraft} style={{ width: 280 }} options={catalogueOptions} />
          <Button type="primary" loading={busy} disabled={!scenario && !baseline} onClick={() => void evaluate()}>
            {t.evaluate}
          </Button>
        </Space>
      </Card>
      {result && (
        <>
          <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t.whatIfNote} />
          <Card
            size="small"
            extra={
              <Button
                size="small"
                onClick={() =>
                  void exportTable(
                    {
                      name: `what-if-${year}`,
                      header: [t.province, t.official, t.rank, t.scenario, t.rank, t.difference, `${t.difference} (${t.rank})`],
                      rows: result.rows.map((r) => [r.provinceCode, r.officialPoints, r.officialRank, r.scenarioPoints, r.scenarioRank, r.deltaPoints, r.deltaRank]),
                    },
                    'xlsx',
                  )
                }
              >
                {t.exportXlsx}
              </Button>
            }
          >
            <Table<WhatIfRow>
              size="small"
              rowKey="provinceCode"
              dataSource={result.rows}
              pagination={{ pageSize: 40, hideOnSinglePage: true }}
              columns={[
                { title: t.province, render: (_: unknown, r) => `${r.provinceCode} · ${names.get(r.provinceCode) ?? ''}` },
                { title: t.official, dataIndex: 'officialPoints', align: 'right', render: (v: number | null) => num(v) },
                { title: t.rank, dataIndex: 'officialRank', align: 'right', sorter: (a, b) => (a.officialRank ?? 99) - (b.officialRank ?? 99) },
                { title: t.scenario, dataIndex: 'scenarioPoints', align: 'right', render: (v: number | null) => num(v) },
                { title: t.rank, dataIndex: 'scenarioRank', align: 'right', sorter: (a, b) => (a.scenarioRank ?? 99) - (b.scenarioRank ?? 99) },
                {
                  title: t.difference,
                  dataIndex: 'deltaPoints',
                  align: 'right',
                  sorter: (a, b) => (a.deltaPoints ?? 0) - (b.deltaPoints ?? 0),
                  render: (v: number | null) => signed(v, (n) => num(n)),
                },
                {
                  title: `${t.difference} (${t.rank})`,
                  dataIndex: 'deltaRank',
                  align: 'right',
                  render: (v: number | null) => (v ? <Tag color={v < 0 ? TAG.green : TAG.red}>{signed(v, (n) => num(n, 0))}</Tag> : '0'),
                },
              ]}
            />
          </Card>
        </>
      )}
    </>
  );
}
