import type { Client, Harness, TestUser } from './harness.ts';

/** The cast of the knowledge-base tests: two agents of one team, its lead, QA, a supervisor, a customer and an integration key. */
export interface KbStaff {
  agentA: TestUser;
  agentB: TestUser;
  lead: TestUser;
  qa: TestUser;
  supervisor: TestUser;
  customer: TestUser;
  ops: Client;
}

export async function kbStaff(h: Harness): Promise<KbStaff> {
  const team = await h.team();
  return {
    agentA: await h.user('agent', { teamIds: [team] }),
    agentB: await h.user('agent', { teamIds: [team] }),
    lead: await h.user('team_lead', { teamIds: [team], leadOf: [team] }),
    qa: await h.user('qa_inspector'),
    supervisor: await h.user('supervisor'),
    customer: await h.user('customer'),
    ops: await h.apiKey('integration'),
  };
}
