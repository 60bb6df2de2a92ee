import { Card, Descriptions, Input, Steps, Table } from 'antd';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { apiGet, q } from '../api';
import { useI18n } from '../i18n';
import type { Lineage } from '../lineage-types';
import { RawPayloadActions } from '../raw-payload';
import { useSession } from '../session';
import type { Scorecard } from '../types';
import { ErrorAlert, PageTitle, ProvinceYearPicker, RunStatusTag, StatusTag, defaultYear, useLoad } from '../ui';
import { preferredCatalogue } from './scorecard-page';

/** From a score down to its rule version, evidence, computations, runs and raw bytes (verified in the browser). */
export default function LineagePage() {
  const { scoreId } = useParams();
  const navigate = useNavigate();
  const { t, num, dateTime } = useI18n();
  const { data, error } = useLoad(async () => (scoreId ? apiGet<Lineage>(`/scores/${scoreId}/lineage`) : null), [scoreId]);
  const s = data?.score;
  return (
    <>
      <PageTitle
        extra={
          <Input.Search
            aria-label={t.scoreId}
            placeholder={t.scoreId}
            enterButton={t.lookup}
            style={{ width: 280 }}
            defaultValue={scoreId}
            onSearch={(v) => /^\d+$/.test(v.trim()) && navigate(`/app/lineage/${v.trim()}`)}
          />
        }
      >
        {t.lineageOf}
        {scoreId ? ` #${scoreId}` : ''}
      </PageTitle>
      <ErrorAlert error={error} />
      {s && data && (
        <>
          <Steps
            size="small"
            style={{ marginBottom: 16 }}
            items={[
              { title: `${t.points}: ${num(s.points)} / ${num(s.maxPoints)}`, status: 'finish' },
              { title: `${t.ruleVersion}`, status: 'finish' },
              { title: `${t.evidence} (${data.evidence.length})`, status: 'finish' },
              { title: `${t.runs} (${data.runs.length})`, status: 'finish' },
              { title: `${t.rawPayloads} (${data.rawPayloads.length})`, status: 'finish' },
            ]}
          />
          <Card title={`1. ${t.itemTitle} ${s.subCriterion}`} size="small" style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t.province}>{s.provinceCode}</Descriptions.Item>
              <Descriptions.Item label={t.year}>{s.year}</Descriptions.Item>
              <Descriptions.Item label={t.catalogue}>{s.catalogue}</Descriptions.Item>
              <Descriptions.Item label={t.points}>
                <span data-testid="lineage-points">{`${num(s.points)} / ${num(s.maxPoints)}`}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t.version}>{s.version}</Descriptions.Item>
              <Descriptions.Item label={t.computedAt}>{dateTime(s.computedAt)}</Descriptions.Item>
              <Descriptions.Item label={t.ruleDigest} span={2}>
                <code>{s.ruleDigest}</code>
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={`2. ${t.evidence}`} size="small" style={{ marginBottom: 16 }}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={data.evidence}
              columns={[
                { title: 'ID', dataIndex: 'id', width: 70 },
                { title: t.metric, dataIndex: 'metric' },
                { title: t.period, dataIndex: 'periodKey' },
                { title: t.numerator, dataIndex: 'numerator', align: 'right', render: (v: number | null) => num(v) },
                { title: t.denominator, dataIndex: 'denominator', align: 'right', render: (v: number | null) => num(v) },
                { title: t.ruleVersion, dataIndex: 'ruleVersion' },
                { title: t.records, align: 'right', render: (_: unknown, e) => num(e.computation.recordCount, 0) },
                { title: t.asOf, render: (_: unknown, e) => dateTime(e.computation.asOf) },
              ]}
            />
          </Card>
          <Card title={`3. ${t.runs}`} size="small" style={{ marginBottom: 16 }}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={data.runs}
              columns={[
                { title: t.connector, render: (_: unknown, r) => `${r.connectorName} (${r.kind})` },
                { title: t.window, render: (_: unknown, r) => `${dateTime(r.windowFrom)} – ${dateTime(r.windowTo)}` },
                { title: t.status, dataIndex: 'status', render: (v: string) => <RunStatusTag status={v} /> },
                { title: t.fetched, align: 'right', render: (_: unknown, r) => num(r.counts.fetched, 0) },
                { title: t.normalised, align: 'right', render: (_: unknown, r) => num(r.counts.normalised, 0) },
                { title: t.quarantined, align: 'right', render: (_: unknown, r) => num(r.counts.quarantined, 0) },
                { title: t.finished, render: (_: unknown, r) => dateTime(r.finishedAt) },
              ]}
            />
          </Card>
          <Card title={`4. ${t.rawPayloads}`} size="small">
            <Table
              size="small"
              rowKey="digest"
              pagination={false}
              dataSource={data.rawPayloads}
              columns={[
                { title: t.digest, dataIndex: 'digest', render: (d: string) => <code style={{ fontSize: 12 }}>{d}</code> },
                { title: t.contentType, dataIndex: 'contentType' },
                { title: t.size, dataIndex: 'size', align: 'right', render: (v: number) => `${num(v / 1024, 1)} KB` },
                { title: t.fetches, dataIndex: 'fetches', align: 'right' },
                { title: t.actions, render: (_: unknown, p) => <RawPayloadActions digest={p.digest} contentType={p.contentType} /> },
              ]}
            />
          </Card>
        </>
      )}
      {!scoreId && <ScorePicker />}
    </>
  );
}

/** Without a score id: a province's scored items to start the trail from. */
function ScorePicker() {
  const { t, num } = useI18n();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const province = me?.provinceCode ?? params.get('province') ?? '01';
  const year = Number(params.get('year') ?? defaultYear());
  const card = useLoad(async () => {
    const all = await apiGet<Scorecard>(`/provinces/${province}/years/${year}/scorecard`);
    const chosen = preferredCatalogue(all.catalogues);
    return all.catalogues.find((c) => c.catalogue === chosen);
  }, [province, year]);
  const items = (card.data?.items ?? []).filter((i) => i.scoreId !== null && i.kind !== 'manual');
  return (
    <Card size="small" title={card.data ? `${card.data.catalogue}` : ''} extra={<ProvinceYearPicker province={province} year={year} onChange={(p, y) => setParams({ province: p, year: String(y) })} />}>
      <ErrorAlert error={card.error} />
      <Table
        size="small"
        rowKey="subCriterion"
        loading={card.loading}
        dataSource={items}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t.code, dataIndex: 'subCriterion', width: 90 },
          { title: t.title, dataIndex: 'title', render: (v: string, i) => <Link to={`/app/lineage/${i.scoreId}?catalogue=${q(card.data!.catalogue)}`}>{v}</Link> },
          { title: t.status, render: (_: unknown, i) => <StatusTag status={i.status} /> },
          { title: t.points, align: 'right', render: (_: unknown, i) => `${num(i.points)} / ${num(i.maxPoints)}` },
        ]}
      />
    </Card>
  );
}
