import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { Alert, Select, Space, Tag, Typography } from 'antd';
import { apiGet } from './api';
import { useI18n, type Dict } from './i18n';
import { useSession } from './session';
import type { ItemStatus, Province } from './types';

/** Tag colours dark enough for white text (WCAG AA contrast); antd's light presets are not. */
export const TAG = { green: '#237804', gold: '#874d00', red: '#a8071a', orange: '#873800', blue: '#0958d9', default: '#595959' } as const;

/** Loads data for a page; `reload` runs the loader again. */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): { data: T | undefined; error: Error | null; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | undefined; error: Error | null; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load()
      .then((data) => live && setState({ data, error: null, loading: false }))
      .catch((error: Error) => live && setState({ data: undefined, error, loading: false }));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

export function PageTitle({ children, extra }: { children: React.ReactNode; extra?: React.ReactNode }) {
  return (
    <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 12, marginBottom: 16 }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {children}
      </Typography.Title>
      {extra}
    </div>
  );
}

export function ErrorAlert({ error }: { error: Error | null }) {
  return error ? <Alert role="alert" type="error" showIcon message={error.message} style={{ marginBottom: 16 }} /> : null;
}

export function statusLabel(t: Dict, status: ItemStatus): string {
  return {
    auto_filled: t.statusAutoFilled,
    manual_needed: t.statusManualNeeded,
    no_data: t.statusNoData,
    stale: t.statusStale,
    not_computed: t.statusNotComputed,
  }[status];
}

export function StatusTag({ status }: { status: ItemStatus }) {
  const { t } = useI18n();
  const color = { auto_filled: TAG.green, manual_needed: TAG.gold, no_data: TAG.default, stale: TAG.orange, not_computed: TAG.default }[status];
  return (
    <Tag color={color} data-status={status}>
      {statusLabel(t, status)}
    </Tag>
  );
}

export function RunStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const color = { succeeded: TAG.green, failed: TAG.red, running: TAG.blue, queued: TAG.default, missed: TAG.orange, cancelled: TAG.default }[status] ?? TAG.default;
  return (
    <Tag color={color} data-run-status={status}>
      {t.runStatus[status] ?? status}
    </Tag>
  );
}

export function useProvinces(): Province[] {
  const { data } = useLoad(() => apiGet<Province[]>('/units/provinces'), []);
  return data ?? [];
}

/** Province and year pickers; an officer's province is fixed to the own one. */
export function ProvinceYearPicker({
  province,
  year,
  onChange,
}: {
  province: string;
  year: number;
  onChange: (province: string, year: number) => void;
}) {
  const { t } = useI18n();
  const { me } = useSession();
  const provinces = useProvinces();
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 5 }, (_, i) => thisYear - i);
  return (
    <Space wrap>
      <Select
        aria-label={t.province}
        showSearch
        optionFilterProp="label"
        disabled={!!me?.provinceCode}
        value={province}
        onChange={(p) => onChange(p, year)}
        style={{ width: 260 }}
        options={provinces.map((p) => ({ value: p.code, label: `${p.code} · ${p.name}` }))}
      />
      <Select aria-label={t.year} value={year} onChange={(y) => onChange(province, y)} style={{ width: 100 }} options={years.map((y) => ({ value: y, label: String(y) }))} />
    </Space>
  );
}

export function defaultYear(): number {
  return new Date().getFullYear() - 1;
}

/** Writes rows as CSV (UTF-8 with BOM, so spreadsheet programs read Vietnamese correctly) and downloads it. */
export function downloadCsv(fileName: string, header: string[], rows: Array<Array<string | number | null>>): void {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = '\uFEFF' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
  downloadBlob(fileName, new Blob([text], { type: 'text/csv;charset=utf-8' }));
}

export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** SHA-256 of bytes, in hex, computed by the browser (WebCrypto). */
export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
