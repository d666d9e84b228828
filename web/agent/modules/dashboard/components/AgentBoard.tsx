/** The team queue and agent status board: per team its waiting work, per member presence and load. */
import { formatDateTime } from '../../../../shared/format.ts';
import { useI18n } from '../../../app/i18n.ts';
import { boardOrder } from '../utils/chart-data.ts';
import type { BoardTeam } from '../utils/types.ts';

export function AgentBoard({ teams }: { teams: BoardTeam[] }) {
  const { t, lang } = useI18n();
  if (teams.length === 0) return <p className="notice">{t('dash.noTeams')}</p>;
  return (
    <div className="board" data-testid="agent-board">
      {teams.map((team) => (
        <section key={team.id} className="board-team" aria-labelledby={`team-${team.id}`}>
          <h3 id={`team-${team.id}`}>{team.name}</h3>
          <p className="queue" data-testid="team-queue">{t('dash.teamQueue', { open: team.openTickets, unassigned: team.unassigned, chats: team.queuedChats })}</p>
          {team.agents.length === 0 ? <p className="notice">{t('dash.noAgents')}</p> : (
            <table className="data board-table">
              <caption className="sr-only">{t('dash.boardCaption', { team: team.name })}</caption>
              <thead>
                <tr><th scope="col">{t('dash.agent')}</th><th scope="col">{t('dash.presence')}</th><th scope="col">{t('dash.openTickets')}</th><th scope="col">{t('dash.atRiskTickets')}</th><th scope="col">{t('dash.chats')}</th><th scope="col">{t('dash.lastSeen')}</th></tr>
              </thead>
              <tbody>
                {boardOrder(team.agents).map((a) => (
                  <tr key={a.userId} data-testid="board-agent" data-presence={a.presence}>
                    <th scope="row">{a.displayName}{a.isLead && <span className="badge lead">{t('dash.lead')}</span>}</th>
                    <td><span className={`presence presence-${a.available ? 'available' : a.presence}`}>{t(a.available ? 'dash.presence.available' : `dash.presence.${a.presence}`)}</span></td>
                    <td>{a.openTickets}</td>
                    <td className={a.atRiskTickets > 0 ? 'warn' : undefined}>{a.atRiskTickets}</td>
                    <td>{a.chatCapacity === null ? a.chatsActive : `${a.chatsActive} / ${a.chatCapacity}`}</td>
                    <td className="nowrap">{a.lastSeenAt ? formatDateTime(a.lastSeenAt, lang) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </div>
  );
}
