import type { Queryable } from '../../db/database.ts';
import type { Actor } from '../../domain/policy.ts';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string | null;
  data?: Record<string, unknown>;
}

/** Appends an audit entry inside the caller's transaction, so it commits or rolls back with the change. */
export async function recordAudit(tx: Queryable, actor: Actor | null, rec: AuditRecord): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, data) VALUES ($1, $2, $3, $4, $5, $6)`,
    [actor?.userId ?? null, actor?.role ?? 'system', rec.action, rec.entityType, rec.entityId, JSON.stringify(rec.data ?? {})],
  );
}
