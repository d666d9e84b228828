/**
 * The supervisor dashboard (issue 6; SPEC A1, A3): counts now, volume by channel and hour, first
 * response, SLA compliance, the agent status board and the SLA-at-risk list. Loaded as its own
 * chunk (with ECharts) from App.tsx; refreshed every minute, keeping the last answer on screen so
 * nothing jumps while it reloads.
 */
import { useEffect, useState } from 'react';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { formatDateTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../app/i18n.ts';
import { periodRange } from '../utils/chart-data.ts';
import type { AtRiskItem, BoardTeam, Overview } from '../utils/types.ts';
import { AgentBoard } from './AgentBoard.tsx';
import { AtRiskList } from './AtRiskList.tsx';
import { ComplianceGauge, FirstResponseChart, VolumeChart } from './Charts.tsx';

const REFRESH_MS = 60_000;
const PERIODS = [1, 7, 30] as const;

export default function DashboardPage() {
  const { t, lang } = useI18n();
  const [days, setDays] = useState<(typeof PERIODS)[number]>(7);
  const [teamId, setTeamId] = useState('');
  const range = periodRange(days, new Date());
  const team = teamId ? `teamId=${encodeURIComponent(teamId)}` : '';
  const overview = useApiData<Overview>(`/reports/overview?from=${range.from}&to=${range.to}${team ? `&${team}` : ''}`);
  const board = useApiData<{ teams: BoardTeam[]; generatedAt: string }>(`/reports/agents${team ? `?${team}` : ''}`);
  const atRisk = useApiData<{ items: AtRiskItem[]; generatedAt: string }>(`/reports/sla-at-risk${team ? `?${team}` : ''}`);
  // The team choices: every team the board covers without a filter (a lead's own teams).
  const [teams, setTeams] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    if (!teamId && board.data) setTeams(board.data.teams.map((x) => ({ id: x.id, name: x.name })));
  }, [board.data, teamId]);
  const { reload: r1 } = overview;
  const { reload: r2 } = board;
  const { reload: r3 } = atRisk;
  useEffect(() => {
    const id = setInterval(() => {
      r1();
      r2();
      r3();
    }, REFRESH_MS);
    return () => clearInterval(id);
  }, [r1, r2, r3]);

  const o = overview.data;
  return (
    <section className="dashboard" data-testid="dashboard">
      <div className="dash-head">
        <h1>{t('dash.title')}</h1>
        <form className="form inline" onSubmit={(e) => e.preventDefault()}>
          <label>
            {t('dash.period')}
            <select value={days} onChange={(e) => setDays(Number(e.target.value) as (typeof PERIODS)[number])}>
              {PERIODS.map((d) => <option key={d} value={d}>{t(`dash.period.${d}`)}</option>)}
            </select>
          </label>
          <label>
            {t('dash.team')}
            <select value={teamId} onChange={(e) => setTeamId(e.target.value)}>
              <option value="">{t('dash.allTeams')}</option>
              {teams.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
            </select>
          </label>
        </form>
      </div>
      {overview.error && <p role="alert" className="error">{t('common.error', { message: overview.error.message })}</p>}
      {!o && !overview.error && <p className="notice">{t('common.loading')}</p>}
      {o && (
        <>
          <p className="notice period" aria-live="polite">{t('dash.periodShown', { from: o.period.from, to: o.period.to })}</p>
          <ul className="tiles" data-testid="kpi-tiles">
            <li><span className="tile-value">{o.now.open}</span><span className="tile-label">{t('dash.tile.open')}</span></li>
            <li><span className="tile-value">{o.now.unassigned}</span><span className="tile-label">{t('dash.tile.unassigned')}</span></li>
            <li className={o.now.atRisk > 0 ? 'warn' : undefined}><span className="tile-value">{o.now.atRisk}</span><span className="tile-label">{t('dash.tile.atRisk')}</span></li>
            <li className={o.now.breached > 0 ? 'bad' : undefined}><span className="tile-value">{o.now.breached}</span><span className="tile-label">{t('dash.tile.breached')}</span></li>
            <li><span className="tile-value">{o.volume.total}</span><span className="tile-label">{t('dash.tile.volume')}</span></li>
          </ul>
          <div className="charts">
            <VolumeChart volume={o.volume} />
            <FirstResponseChart fr={o.firstResponse} />
            <ComplianceGauge sla={o.sla} targets={o.targets} />
          </div>
        </>
      )}
      <h2>{t('dash.atRiskTitle')}</h2>
      {atRisk.error && <p role="alert" className="error">{t('common.error', { message: atRisk.error.message })}</p>}
      {atRisk.data ? <AtRiskList items={atRisk.data.items} /> : !atRisk.error && <p className="notice">{t('common.loading')}</p>}
      <h2>{t('dash.boardTitle')}</h2>
      {board.error && <p role="alert" className="error">{t('common.error', { message: board.error.message })}</p>}
      {board.data ? <AgentBoard teams={board.data.teams} /> : !board.error && <p className="notice">{t('common.loading')}</p>}
      {board.data && <p className="notice updated">{t('dash.updated', { at: formatDateTime(board.data.generatedAt, lang) })}</p>}
    </section>
  );
}
