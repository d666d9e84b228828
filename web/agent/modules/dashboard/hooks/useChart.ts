/** One ECharts instance on a container: created once, given each new option, resized with its box, disposed on unmount. */
import { useEffect, useRef } from 'react';
import { init, type ChartOption, type ECharts } from '../utils/echarts.ts';

export function useChart(option: ChartOption): React.RefObject<HTMLDivElement | null> {
  const ref = useRef<HTMLDivElement | null>(null);
  const chart = useRef<ECharts | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    // notMerge: a series that disappears (a channel without tickets) leaves the chart.
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return ref;
}
