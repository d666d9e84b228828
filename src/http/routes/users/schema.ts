import { z } from 'zod';
import { PERSON_ROLES, ROLES } from '../../../domain/policy.ts';

export const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  customerId: z.string().nullable(),
  teamIds: z.array(z.string()),
});

export const createUserBody = z.object({
  username: z.string().regex(/^[A-Za-z0-9_.@-]{2,64}$/, 'username: 2–64 letters, digits or _ . @ -'),
  password: z.string().min(8).max(256),
  role: z.enum(PERSON_ROLES).describe('integration is for API keys only'),
  displayName: z.string().min(1).max(100).optional(),
  customerId: z.uuid().optional(),
  skills: z.array(z.string().min(1).max(40)).max(50).optional(),
  channels: z.array(z.enum(['phone', 'chat', 'email', 'walk_in', 'web', 'api'])).optional(),
  capacity: z.number().int().min(0).max(500).optional(),
  teamIds: z.array(z.uuid()).optional(),
  leadOf: z.array(z.uuid()).optional(),
});

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  customerId: z.string().nullable(),
  skills: z.array(z.string()),
  channels: z.array(z.string()),
  capacity: z.number(),
  available: z.boolean(),
  phoneExtension: z.string().nullable().describe('the telephony extension calls to this agent ring'),
  createdAt: z.string(),
  disabledAt: z.string().nullable().describe('set while an admin has disabled the account: it cannot log in, its sessions are ended and API keys it made do not work'),
});

export const createApiKeyBody = z.object({
  name: z.string().min(1).max(100),
  role: z.enum(['agent', 'team_lead', 'qa_inspector', 'supervisor', 'admin', 'integration']).describe('integration: another system (operations, telephony) feeding shipments and tickets'),
});

export const createTeamBody = z.object({
  code: z.string().regex(/^[a-z0-9_.-]{2,40}$/),
  name: z.string().min(1).max(100),
  kind: z.enum(['service', 'senior', 'department', 'supervision']).optional(),
  strategy: z.enum(['round_robin', 'least_loaded']).optional(),
});

/** Roles a staff account may be given (not customer, not integration: those are made otherwise). */
export const STAFF_ROLES = ['agent', 'team_lead', 'qa_inspector', 'supervisor', 'admin'] as const;

export const teamMembersBody = z.object({
  members: z.array(z.object({ userId: z.uuid(), isLead: z.boolean().default(false) })).max(500),
});
