/** The agent workspace's dictionaries (only its bundle imports them; the portal has its own). */
import { agentEn } from './agent-messages-en.ts';
import { agentZh, type AgentMessageKey } from './agent-messages-zh.ts';
import type { Dictionaries } from './core.ts';

export type { AgentMessageKey };
export const AGENT_DICTIONARIES: Dictionaries<AgentMessageKey> = { zh: agentZh, en: agentEn };
