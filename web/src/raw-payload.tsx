import { useState } from 'react';
import { Button, Space, Tag, Tooltip } from 'antd';
import { apiFetch } from './api';
import { useI18n } from './i18n';
import { downloadBlob, sha256Hex, TAG } from './ui';

const EXTENSIONS: Record<string, string> = {
  'application/json': 'json',
  'text/csv': 'csv',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/plain': 'txt',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

/** A file name for archived bytes: the original one when known, else the digest with the extension of its type. */
export function rawFileName(digest: string, contentType: string | null, original?: string | null): string {
  if (original) return original;
  const base = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return `${digest.slice(0, 16)}.${EXTENSIONS[base] ?? 'bin'}`;
}

/**
 * Fetches archived bytes, re-hashes them in the browser (WebCrypto SHA-256) against the digest they are stored
 * under, and saves them with their original name and type.
 */
export function RawPayloadActions({ digest, contentType, fileName }: { digest: string; contentType: string | null; fileName?: string | null }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'busy' | 'ok' | 'bad'>('idle');
  const [actual, setActual] = useState<string | null>(null);
  const fetchAndCheck = async (): Promise<ArrayBuffer> => {
    setState('busy');
    const response = await apiFetch(`/raw-payloads/${digest}`, { headers: { Accept: '*/*' } });
    const bytes = await response.arrayBuffer();
    const hex = await sha256Hex(bytes);
    setActual(hex);
    setState(hex === digest ? 'ok' : 'bad');
    return bytes;
  };
  return (
    <Space wrap>
      <Button size="small" onClick={() => void fetchAndCheck().catch(() => setState('bad'))} loading={state === 'busy'} aria-label={`${t.verify} ${digest.slice(0, 12)}`}>
        {t.verify}
      </Button>
      <Button
        size="small"
        aria-label={`${t.download} ${rawFileName(digest, contentType, fileName)}`}
        onClick={async () => {
          const bytes = await fetchAndCheck();
          downloadBlob(rawFileName(digest, contentType, fileName), new Blob([bytes], { type: (contentType ?? 'application/octet-stream').split(';')[0] }));
        }}
      >
        {t.download}
      </Button>
      {state === 'ok' && (
        <Tag color={TAG.green} data-testid={`verified-${digest}`}>
          ✓ {t.verified}
        </Tag>
      )}
      {state === 'bad' && (
        <Tooltip title={actual ?? ''}>
          <Tag color={TAG.red} data-testid={`mismatch-${digest}`}>
            ✗ {t.mismatch}
          </Tag>
        </Tooltip>
      )}
    </Space>
  );
}
