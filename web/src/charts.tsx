import ReactEChartsCore from 'echarts-for-react/lib/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { CSSProperties } from 'react';

// only the chart types and components the app draws (keeps the chart chunk small)
echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

/** An ECharts chart; `label` names it for screen readers (ECharts' aria module describes the data). */
export function Chart({ option, style, label }: { option: Record<string, unknown>; style?: CSSProperties; label: string }) {
  return (
    <div role="img" aria-label={label}>
      <ReactEChartsCore echarts={echarts} option={{ aria: { enabled: true }, animation: false, ...option }} style={style} notMerge />
    </div>
  );
}
