// Choosing the agent for a ticket (SPEC T4): round-robin or least-loaded, filtered by skill and channel.

export interface Candidate {
  userId: string;
  skills: string[];
  channels: string[];
  capacity: number;
  openCount: number;
  available: boolean;
  lastAssignedAt: Date | null;
}

export type Strategy = 'round_robin' | 'least_loaded';

export interface AssignmentRequest {
  strategy: Strategy;
  /** Required skill; null, undefined or '' means any. */
  skill?: string | null;
  /** Required channel; null, undefined or '' means any. */
  channel?: string | null;
}

function isEligible(c: Candidate, req: AssignmentRequest): boolean {
  return (
    c.available &&
    c.openCount < c.capacity &&
    (!req.skill || c.skills.includes(req.skill)) &&
    (!req.channel || c.channels.includes(req.channel))
  );
}

// Never-assigned agents (and unreadable dates) sort first.
function lastAssignedTime(c: Candidate): number {
  const t = c.lastAssignedAt?.getTime();
  return t === undefined || Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

function byLastAssigned(a: Candidate, b: Candidate): number {
  const ta = lastAssignedTime(a);
  const tb = lastAssignedTime(b);
  return ta === tb ? 0 : ta < tb ? -1 : 1;
}

// Plain code-unit order, so the pick does not depend on the process locale.
function byUserId(a: Candidate, b: Candidate): number {
  return a.userId === b.userId ? 0 : a.userId < b.userId ? -1 : 1;
}

// Compares openCount/capacity without floating-point division (capacities of eligible agents are > 0).
function byLoad(a: Candidate, b: Candidate): number {
  const la = a.openCount * b.capacity;
  const lb = b.openCount * a.capacity;
  return la === lb ? 0 : la < lb ? -1 : 1;
}

const COMPARATORS: Readonly<Record<Strategy, (a: Candidate, b: Candidate) => number>> = {
  round_robin: (a, b) => byLastAssigned(a, b) || byUserId(a, b),
  least_loaded: (a, b) => byLoad(a, b) || byLastAssigned(a, b) || byUserId(a, b),
};

/** The userId of the agent to assign, or null when nobody is eligible. */
export function pickAgent(cands: Candidate[], req: AssignmentRequest): string | null {
  const compare = COMPARATORS[req.strategy];
  let best: Candidate | null = null;
  for (const c of cands) {
    if (!isEligible(c, req)) continue;
    if (best === null || compare(c, best) < 0) best = c;
  }
  return best?.userId ?? null;
}
