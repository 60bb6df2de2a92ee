import { useState } from 'react';
import { Card, Input, Select, Space, Table, Tag } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { apiGet, q } from '../api';
import { useI18n } from '../i18n';
import { ErrorAlert, TAG, useLoad } from '../ui';

interface UnitRow {
  departmentId: string;
  level: string;
  departmentCode: string | null;
  departmentName: string;
  departmentType: string | null;
  officialTotal: number | null;
  recomputedTotal: number | null;
  rank: number | null;
  status: string | null;
  flags: string[] | null;
}

const PAGE = 25;
const SORTABLE: Record<string, string> = { rank: 'rank', officialTotal: 'official', recomputedTotal: 'recomputed', departmentName: 'name' };

/** The units (departments, communes) of a province for a period: sorted, filtered and paged by the API. */
export function Units766Table({ province, period }: { province: string; period: string }) {
  const { t, num } = useI18n();
  const [level, setLevel] = useState<string | undefined>();
  const [name, setName] = useState('');
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState<{ key: string; order: 'asc' | 'desc' } | null>(null);
  const query = `period=${q(period)}&page=${page}&pageSize=${PAGE}${level ? `&level=${level}` : ''}${name.trim() ? `&name=${q(name.trim())}` : ''}${sort ? `&sort=${sort.key}&order=${sort.order}` : ''}`;
  const units = useLoad(() => apiGet<{ total: number; units: UnitRow[] }>(`/provinces/${province}/qd766/units?${query}`), [province, query]);
  return (
    <Card
      size="small"
      title={t.units766}
      style={{ marginTop: 16 }}
      extra={
        <Space wrap>
          <Select
            allowClear
            aria-label={t.level}
            placeholder={t.level}
            style={{ width: 160 }}
            value={level}
            onChange={(v?: string) => {
              setLevel(v);
              setPage(1);
            }}
            options={[
              { value: 'department', label: t.levelDepartment },
              { value: 'commune', label: t.levelCommune },
            ]}
          />
          <Input.Search
            aria-label={t.name}
            placeholder={t.name}
            allowClear
            style={{ width: 220 }}
            onSearch={(v) => {
              setName(v);
              setPage(1);
            }}
          />
        </Space>
      }
    >
      <ErrorAlert error={units.error} />
      <Table<UnitRow>
        size="small"
        rowKey="departmentId"
        loading={units.loading}
        dataSource={units.data?.units ?? []}
        pagination={{ current: page, pageSize: PAGE, total: units.data?.total ?? 0, showSizeChanger: false }}
        onChange={(pagination, _filters, sorter) => {
          const s = sorter as SorterResult<UnitRow>;
          const key = s.columnKey ? SORTABLE[String(s.columnKey)] : undefined;
          setSort(key && s.order ? { key, order: s.order === 'ascend' ? 'asc' : 'desc' } : null);
          setPage(pagination.current ?? 1);
        }}
        columns={[
          { title: t.rank, key: 'rank', dataIndex: 'rank', width: 80, sorter: true },
          { title: t.name, key: 'departmentName', dataIndex: 'departmentName', sorter: true },
          { title: t.level, dataIndex: 'level', width: 120, render: (v: string) => (v === 'commune' ? t.levelCommune : t.levelDepartment) },
          { title: t.official, key: 'officialTotal', dataIndex: 'officialTotal', align: 'right', sorter: true, render: (v: number | null) => num(v) },
          { title: t.recomputed, key: 'recomputedTotal', dataIndex: 'recomputedTotal', align: 'right', sorter: true, render: (v: number | null) => num(v) },
          { title: t.dataQuality, dataIndex: 'flags', render: (f: string[] | null) => (f ?? []).map((x) => <Tag key={x} color={TAG.orange}>{x}</Tag>) },
        ]}
      />
    </Card>
  );
}
