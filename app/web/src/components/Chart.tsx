// uPlot charts: a line over time (share price history) and bars (the health
// histogram). The figures behind each chart are also in the page as text.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

type Props = {
  /** x values, then one array per series. */
  data: uPlot.AlignedData;
  series: uPlot.Series[];
  bars?: boolean;
  /** x labels for bar charts (index → label). */
  labels?: readonly string[];
  height?: number;
  title: string;
};

export function Chart({ data, series, bars, labels, height = 180, title }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const width = Math.max(240, element.clientWidth);
    const options: uPlot.Options = {
      width,
      height,
      legend: { show: false },
      cursor: { show: !bars },
      scales: bars ? { x: { time: false, range: () => [-0.5, (labels?.length ?? 1) - 0.5] } } : { x: { time: true } },
      axes: bars
        ? [{ splits: () => (labels ?? []).map((_, i) => i), values: (_, ticks) => ticks.map((t) => labels?.[t] ?? ''), grid: { show: false }, size: 40 }, { size: 40 }]
        : [{}, { size: 64 }],
      series: [{}, ...series.map((s) => (bars ? { ...s, paths: uPlot.paths.bars!({ size: [0.7, 60] }), points: { show: false } } : s))],
    };
    plot.current = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(240, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // The chart is rebuilt when its shape changes; new data goes through setData.
  }, [bars, height, series.length, labels?.join('|')]);
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);
  return <div className="chart" ref={host} role="img" aria-label={title} />;
}
