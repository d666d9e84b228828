/** The dashboard's three charts, each a figure: the canvas (described by its caption) and the same numbers as a table for screen readers and keyboard users. */
import { useMemo } from 'react';
import { useI18n } from '../../../app/i18n.ts';
import { channelKey } from '../../tickets/utils/labels.ts';
import { useChart } from '../hooks/useChart.ts';
import { joinList, complianceLevel, compliancePercent, firstResponseBars, formatDuration, hourLabel, peakHours, slaTargetPercent, volumeBars } from '../utils/chart-data.ts';
import type { ChartOption } from '../utils/echarts.ts';
import { CHANNELS, type Channel, type Overview } from '../utils/types.ts';

function ChartBox({ option, label, testId }: { option: ChartOption; label: string; testId: string }) {
  const ref = useChart(option);
  // role=img with the caption's summary: the canvas itself says nothing to a screen reader.
  return <div ref={ref} className="chart" role="img" aria-label={label} data-testid={testId} />;
}

export function VolumeChart({ volume }: { volume: Overview['volume'] }) {
  const { t, lang } = useI18n();
  const name = (c: Channel): string => t(channelKey(c));
  const bars = useMemo(() => volumeBars(volume, (c) => t(channelKey(c))), [volume, t]);
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 12, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: bars.categories, name: t('dash.hourAxis'), nameLocation: 'middle', nameGap: 22 },
    yAxis: { type: 'value', minInterval: 1 },
    series: bars.series.map((s) => ({ type: 'bar', name: s.name, stack: 'volume', data: s.data, itemStyle: { color: s.color } })),
  }), [bars, t]);
  const peaks = peakHours(volume);
  const byChannel = joinList(CHANNELS.filter((c) => volume.byChannel[c] > 0).map((c) => t('dash.channelCount', { channel: name(c), n: volume.byChannel[c] })), lang);
  const summary = volume.total === 0 ? t('dash.volumeEmpty') : t('dash.volumeSummary', { total: volume.total, channels: byChannel, peak: joinList(peaks.map((p) => t('dash.hourCount', { hour: hourLabel(p.hour), n: p.total })), lang) });
  return (
    <figure className="chart-card" data-testid="volume-chart">
      <figcaption><h2>{t('dash.volumeTitle')}</h2><p className="summary">{summary}</p></figcaption>
      <ChartBox option={option} label={summary} testId="volume-canvas" />
      <details>
        <summary>{t('dash.dataTable')}</summary>
        <table className="data">
          <caption className="sr-only">{t('dash.volumeTitle')}</caption>
          <thead><tr><th scope="col">{t('dash.hour')}</th>{bars.series.map((s) => <th key={s.channel} scope="col">{s.name}</th>)}<th scope="col">{t('dash.total')}</th></tr></thead>
          <tbody>
            {volume.byHour.filter((b) => b.total > 0).map((b) => (
              <tr key={b.hour}><th scope="row">{hourLabel(b.hour)}:00</th>{bars.series.map((s) => <td key={s.channel}>{b.byChannel[s.channel]}</td>)}<td>{b.total}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export function FirstResponseChart({ fr }: { fr: Overview['firstResponse'] }) {
  const { t, lang } = useI18n();
  const bars = useMemo(() => firstResponseBars(fr.byChannel, (c) => t(channelKey(c))), [fr, t]);
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: (v) => formatDuration(Number(v) * 1000, lang) },
    legend: { top: 0 },
    grid: { left: 48, right: 12, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: bars.categories },
    yAxis: { type: 'value', name: t('dash.seconds') },
    series: [
      { type: 'bar', name: t('dash.average'), data: bars.averageS, itemStyle: { color: '#1f5fbf' } },
      { type: 'bar', name: t('dash.p90'), data: bars.p90S, itemStyle: { color: '#f08c00' } },
    ],
  }), [bars, t, lang]);
  const summary = fr.responded === 0
    ? t('dash.frEmpty')
    : t('dash.frSummary', { responded: fr.responded, created: fr.created, average: formatDuration(fr.averageMs, lang), p50: formatDuration(fr.p50Ms, lang), p90: formatDuration(fr.p90Ms, lang) });
  return (
    <figure className="chart-card" data-testid="first-response-chart">
      <figcaption><h2>{t('dash.frTitle')}</h2><p className="summary">{summary}</p></figcaption>
      <ChartBox option={option} label={summary} testId="first-response-canvas" />
      <details>
        <summary>{t('dash.dataTable')}</summary>
        <table className="data">
          <caption className="sr-only">{t('dash.frTitle')}</caption>
          <thead><tr><th scope="col">{t('dash.channel')}</th><th scope="col">{t('dash.responded')}</th><th scope="col">{t('dash.average')}</th><th scope="col">{t('dash.p50')}</th><th scope="col">{t('dash.p90')}</th></tr></thead>
          <tbody>
            {fr.byChannel.filter((r) => r.channel !== null).map((r) => (
              <tr key={r.channel}><th scope="row">{t(channelKey(r.channel!))}</th><td>{r.responded} / {r.created}</td><td>{formatDuration(r.averageMs, lang)}</td><td>{formatDuration(r.p50Ms, lang)}</td><td>{formatDuration(r.p90Ms, lang)}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

const LEVEL_COLOR = { none: '#adb5bd', good: '#2b8a3e', warn: '#f08c00', bad: '#c92a2a' } as const;

export function ComplianceGauge({ sla, targets }: { sla: Overview['sla']; targets: Overview['targets'] }) {
  const { t } = useI18n();
  const percent = compliancePercent(sla);
  const target = slaTargetPercent(targets);
  const level = complianceLevel(percent, target);
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    series: [{
      type: 'gauge', min: 0, max: 100, radius: '95%', center: ['50%', '58%'],
      progress: { show: true, width: 14, itemStyle: { color: LEVEL_COLOR[level] } },
      axisLine: { lineStyle: { width: 14 } }, splitNumber: 5, axisLabel: { distance: 18, fontSize: 11 },
      pointer: { show: false }, anchor: { show: false }, title: { show: false },
      detail: { valueAnimation: false, fontSize: 26, offsetCenter: [0, '10%'], formatter: percent === null ? '—' : '{value}%', color: '#212529' },
      data: [{ value: percent ?? 0 }],
    }],
  }), [percent, level]);
  const summary = percent === null ? t('dash.slaEmpty') : t('dash.slaSummary', { percent, met: sla.met, breached: sla.breached, open: sla.open });
  const clockName = (c: string | null): string => (c === 'first_response' || c === 'resolution' ? t(`dash.clock.${c}`) : (c ?? ''));
  return (
    <figure className="chart-card" data-testid="sla-chart" data-level={level}>
      <figcaption><h2>{t('dash.slaTitle')}</h2><p className="summary">{summary}</p><p className="muted" data-testid="sla-target">{t('dash.slaTarget', { target })}</p></figcaption>
      <ChartBox option={option} label={summary} testId="sla-canvas" />
      <details>
        <summary>{t('dash.dataTable')}</summary>
        <table className="data">
          <caption className="sr-only">{t('dash.slaTitle')}</caption>
          <thead><tr><th scope="col">{t('dash.clock')}</th><th scope="col">{t('dash.met')}</th><th scope="col">{t('dash.breachedCol')}</th><th scope="col">{t('dash.openCol')}</th><th scope="col">{t('dash.rate')}</th></tr></thead>
          <tbody>
            {sla.byClock.map((k) => {
              const p = compliancePercent(k);
              return <tr key={k.clock}><th scope="row">{clockName(k.clock)}</th><td>{k.met}</td><td>{k.breached}</td><td>{k.open}</td><td>{p === null ? '—' : `${p}%`}</td></tr>;
            })}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
