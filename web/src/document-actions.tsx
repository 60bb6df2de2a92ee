import { useState } from 'react';
import { App, Button, Input, InputNumber, Popconfirm, Space, Tag, Upload } from 'antd';
import { apiSend } from './api';
import { useI18n } from './i18n';
import { useSession } from './session';
import type { ManualEvidence } from './types';
import { TAG } from './ui';

/** Where an attached document stands: withdrawn, accepted (with points), rejected (with the reason) or awaiting review. */
export function DocumentStatus({ doc }: { doc: ManualEvidence }) {
  const { t, num } = useI18n();
  if (doc.withdrawn) return <Tag data-testid="document-status">{t.withdrawn}</Tag>;
  if (doc.review?.decision === 'accepted') return <Tag color={TAG.green} data-testid="document-status">{`${t.accepted}: ${num(doc.review.points)}`}</Tag>;
  if (doc.review?.decision === 'rejected') return <Tag color={TAG.red} data-testid="document-status" title={doc.review.reason ?? ''}>{`${t.rejected}: ${doc.review.reason ?? ''}`}</Tag>;
  return <Tag color={TAG.gold} data-testid="document-status">{t.awaitingReview}</Tag>;
}

/** The province replaces or withdraws its document; an appraiser accepts (with points) or rejects (with a reason). */
export function DocumentActions({ doc, maxPoints, onChanged }: { doc: ManualEvidence; maxPoints: number; onChanged: () => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const [points, setPoints] = useState<number | null>(maxPoints);
  const [reason, setReason] = useState('');
  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      message.success(t.saved);
      onChanged();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  if (doc.withdrawn) return null;
  return (
    <Space wrap>
      {can('imports.write') && (
        <>
          <Upload
            showUploadList={false}
            customRequest={({ file, onSuccess, onError }) => {
              const form = new FormData();
              form.append('file', file as File);
              void run(() => apiSend('POST', `/manual-evidence/${doc.id}/replace`, form))
                .then(() => onSuccess?.({}))
                .catch((e: Error) => onError?.(e));
            }}
          >
            <Button size="small">{t.replace}</Button>
          </Upload>
          <Popconfirm title={t.confirmWithdraw} okText={t.yes} cancelText={t.no} onConfirm={() => run(() => apiSend('POST', `/manual-evidence/${doc.id}/withdraw`, {}))}>
            <Button size="small" danger>
              {t.withdraw}
            </Button>
          </Popconfirm>
        </>
      )}
      {can('appraisal.decide') && (
        <>
          <InputNumber size="small" aria-label={t.points} min={0} max={maxPoints} step={0.25} value={points} onChange={setPoints} />
          <Button size="small" type="primary" onClick={() => run(() => apiSend('POST', `/manual-evidence/${doc.id}/review`, { decision: 'accepted', points: points ?? 0 }))}>
            {t.accept}
          </Button>
          <Input size="small" aria-label={t.rejectReason} placeholder={t.rejectReason} value={reason} onChange={(e) => setReason(e.target.value)} style={{ width: 200 }} />
          <Button size="small" danger disabled={!reason.trim()} onClick={() => run(() => apiSend('POST', `/manual-evidence/${doc.id}/review`, { decision: 'rejected', reason: reason.trim() }))}>
            {t.reject}
          </Button>
        </>
      )}
    </Space>
  );
}
