/**
 * The parts of ECharts the dashboard draws with, and nothing else: bars, a gauge, grid, tooltip,
 * legend, the canvas renderer. Only the dashboard's lazy chunk imports this file, so agents who
 * never open the dashboard never download ECharts.
 */
import { BarChart, GaugeChart, type BarSeriesOption, type GaugeSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, GaugeChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | GaugeSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;
export { init };
export type { ECharts };
