import { useState } from 'react';
import { Alert, App, Card, Descriptions, Form, Input, List, Space, Table, Tag, Typography, Upload } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { apiGet, apiSend, q } from '../api';
import { useI18n } from '../i18n';
import type { Lineage } from '../lineage-types';
import { DocumentActions, DocumentStatus } from '../document-actions';
import { RawPayloadActions } from '../raw-payload';
import { explainRule } from '../rule-text';
import { useSession } from '../session';
import type { CatalogueItem, ManualEvidence, Scorecard } from '../types';
import { ErrorAlert, PageTitle, StatusTag, useLoad, TAG } from '../ui';

export default function ItemPage() {
  const { province = '', year = '', catalogue = '', sub = '' } = useParams();
  const { t, lang, num, date, dateTime } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const [title, setTitle] = useState('');
  const card = useLoad(() => apiGet<Scorecard>(`/provinces/${province}/years/${year}/scorecard?catalogue=${q(catalogue)}`), [province, year, catalogue]);
  const def = useLoad(() => apiGet<CatalogueItem>(`/catalogues/${q(catalogue)}/items/${q(sub)}`), [catalogue, sub]);
  const item = card.data?.catalogues[0]?.items.find((i) => i.subCriterion === sub);
  const lineage = useLoad(async () => (item?.scoreId && item.kind !== 'manual' ? apiGet<Lineage>(`/scores/${item.scoreId}/lineage`) : null), [item?.scoreId]);
  const docs = useLoad(
    async () => (item?.kind === 'manual' ? (await apiGet<ManualEvidence[]>(`/provinces/${province}/years/${year}/manual-evidence?catalogue=${q(catalogue)}`)).filter((d) => d.subCriterion === sub) : []),
    [item?.kind, province, year, catalogue, sub],
  );
  const evidence = lineage.data?.evidence ?? [];
  const flags: string[] = [];
  if (item?.status === 'no_data') flags.push(t.flagNoData);
  if (item?.status === 'stale') flags.push(t.flagStale);
  for (const e of evidence) if (e.denominator === 0) flags.push(`${t.flagZeroDenominator}: ${e.metric} (${e.periodKey})`);
  for (const r of lineage.data?.runs ?? []) if (r.counts.quarantined > 0) flags.push(`${r.connectorName}: ${num(r.counts.quarantined, 0)} ${t.quarantined.toLowerCase()}`);

  return (
    <>
      <PageTitle extra={item?.scoreId && can('scores.read') ? <Link to={`/app/lineage/${item.scoreId}`}>{t.navLineage} →</Link> : null}>
        {`${sub} · ${item?.title ?? def.data?.title ?? ''}`}
      </PageTitle>
      <ErrorAlert error={card.error ?? def.error ?? lineage.error} />
      {item && (
        <Descriptions bordered size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t.status}>
            <StatusTag status={item.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t.points}>
            <span data-testid="item-points">{`${num(item.points)} / ${num(item.maxPoints)}`}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t.value}>{item.value === null ? '—' : `${num(item.value * 100)}%`}</Descriptions.Item>
          <Descriptions.Item label={t.province}>{province}</Descriptions.Item>
          <Descriptions.Item label={t.year}>{year}</Descriptions.Item>
          <Descriptions.Item label={t.computedAt}>{dateTime(item.computedAt)}</Descriptions.Item>
        </Descriptions>
      )}
      <Card title={t.rule} size="small" style={{ marginBottom: 16 }}>
        {def.data?.rule ? (
          <div data-testid="rule-text">
            {explainRule(def.data.rule, def.data.maxPoints, lang, (n) => num(n, 4)).map((line) => (
              <Typography.Paragraph key={line} style={{ marginBottom: 4 }}>
                {line}
              </Typography.Paragraph>
            ))}
          </div>
        ) : def.data?.document ? (
          <Typography.Paragraph>
            {t.documentRequired}: <strong>{def.data.document}</strong>
          </Typography.Paragraph>
        ) : null}
        {item?.ruleDigest && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t.ruleDigest}: <code>{item.ruleDigest}</code>
          </Typography.Text>
        )}
      </Card>
      {item?.kind !== 'manual' && (
        <>
          <Card title={t.inputs} size="small" style={{ marginBottom: 16 }}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              loading={lineage.loading}
              dataSource={evidence}
              columns={[
                { title: t.metric, dataIndex: 'metric' },
                { title: t.period, dataIndex: 'periodKey' },
                { title: t.numerator, dataIndex: 'numerator', align: 'right', render: (v: number | null) => num(v) },
                { title: t.denominator, dataIndex: 'denominator', align: 'right', render: (v: number | null) => num(v) },
                { title: t.ratio, dataIndex: 'value', align: 'right', render: (v: number | null) => (v === null ? '—' : `${num(v * 100)}%`) },
                { title: t.source, render: (_: unknown, e) => e.computation.sourceKind },
                { title: t.records, align: 'right', render: (_: unknown, e) => num(e.computation.recordCount, 0) },
                { title: t.asOf, render: (_: unknown, e) => date(e.computation.asOf) },
              ]}
            />
          </Card>
          <Card title={t.rawPayloads} size="small" style={{ marginBottom: 16 }}>
            <List
              size="small"
              dataSource={lineage.data?.rawPayloads ?? []}
              renderItem={(p) => (
                <List.Item>
                  <Space direction="vertical" size={0}>
                    <code style={{ fontSize: 12 }}>{p.digest}</code>
                    <Typography.Text type="secondary">{`${p.contentType ?? '?'} · ${num(p.size / 1024, 1)} KB · ${dateTime(p.archivedAt)}`}</Typography.Text>
                  </Space>
                  <RawPayloadActions digest={p.digest} contentType={p.contentType} />
                </List.Item>
              )}
            />
          </Card>
        </>
      )}
      {item?.kind === 'manual' && (
        <Card title={t.manualEvidence} size="small" style={{ marginBottom: 16 }}>
          {def.data?.document && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={`${t.documentRequired}: ${def.data.document}`} />}
          <List
            size="small"
            locale={{ emptyText: t.noDocument }}
            dataSource={docs.data ?? []}
            renderItem={(d) => (
              <List.Item data-testid="attachment">
                <Space direction="vertical" size={0}>
                  <strong>{d.title}</strong>
                  <Typography.Text type="secondary">{`${d.fileName ?? '—'} · ${d.contentType} · ${t.version} ${d.version} · ${dateTime(d.createdAt)} · ${d.attachedBy}`}</Typography.Text>
                </Space>
                <Space direction="vertical" align="end">
                  <Space>
                    <DocumentStatus doc={d} />
                    <RawPayloadActions digest={d.rawDigest} contentType={d.contentType} fileName={d.fileName} />
                  </Space>
                  <DocumentActions
                    doc={d}
                    maxPoints={item.maxPoints}
                    onChanged={() => {
                      docs.reload();
                      card.reload();
                    }}
                  />
                </Space>
              </List.Item>
            )}
          />
          {can('imports.write') && (
            <Form layout="vertical" style={{ marginTop: 16 }}>
              <Form.Item label={t.uploadTitle} htmlFor="document-title" required>
                <Input id="document-title" value={title} onChange={(e) => setTitle(e.target.value)} placeholder={def.data?.document ?? ''} />
              </Form.Item>
              <Upload.Dragger
                name="file"
                multiple={false}
                showUploadList={false}
                customRequest={async ({ file, onSuccess, onError }) => {
                  const form = new FormData();
                  form.append('catalogue', catalogue);
                  form.append('subCriterion', sub);
                  form.append('title', title.trim() || (file as File).name);
                  form.append('file', file as File);
                  try {
                    await apiSend('POST', `/provinces/${province}/years/${year}/manual-evidence`, form);
                    message.success(t.uploadDone);
                    onSuccess?.({});
                    docs.reload();
                    card.reload();
                  } catch (e) {
                    message.error(`${t.uploadFailed}: ${(e as Error).message}`);
                    onError?.(e as Error);
                  }
                }}
              >
                <p style={{ padding: '12px 0' }}>{t.uploadHint}</p>
              </Upload.Dragger>
            </Form>
          )}
        </Card>
      )}
      <Card title={t.dataQuality} size="small">
        {flags.length === 0 ? (
          <Tag color={TAG.green}>{t.noFlags}</Tag>
        ) : (
          <ul data-testid="flags" style={{ margin: 0 }}>
            {flags.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        )}
      </Card>
      <div style={{ marginTop: 16 }}>
        <Link to={`/app/scorecard?province=${province}&year=${year}&catalogue=${q(catalogue)}`}>← {t.navScorecard}</Link>
      </div>
    </>
  );
}
