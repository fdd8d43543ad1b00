/** A small time-series line chart (uPlot), redrawn when its data or width changes. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
}

export interface LineChartProps {
  /** Seconds since the epoch, ascending. */
  readonly times: readonly number[];
  readonly series: readonly Series[];
  readonly height?: number;
  readonly label: string;
  /** Formats a y value on the axis. */
  readonly formatValue?: (value: number) => string;
}

export function LineChart({ times, series, height = 180, label, formatValue }: LineChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const format = useRef(formatValue);
  format.current = formatValue;
  // Redraw when the numbers change, not on every render's new arrays.
  const dataKey = JSON.stringify([times, series]);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: Math.max(240, element.clientWidth),
      height,
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: true }))],
      axes: [{}, { values: (_plot, ticks) => ticks.map((tick) => (format.current ? format.current(tick) : String(tick))), size: 60 }],
      legend: { show: true },
    };
    const data = [times as number[], ...series.map((s) => s.values as (number | null)[])] as uPlot.AlignedData;
    const plot = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
    // dataKey stands for times and series.
  }, [dataKey, height]);
  return <div className="line-chart" ref={container} role="img" aria-label={label} />;
}
