/** The agent workspace's i18n: its dictionaries through the shared layer. */
import { AGENT_DICTIONARIES, type AgentMessageKey } from '../../shared/i18n/agent-dictionaries.ts';
import { createI18n } from '../../shared/i18n/create-i18n.tsx';

export type { AgentMessageKey };
export const { I18nProvider, useI18n } = createI18n(AGENT_DICTIONARIES);
