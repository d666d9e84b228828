/**
 * The ticket's header controls: status by the lifecycle (the server's allowed moves; closing a
 * resolved ticket is offered so the server's refusal before the customer was told is shown),
 * priority, category and tags; take; hand-over with a reason; escalation with owner and deadline;
 * merge into or link with another ticket by number.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { useI18n } from '../../../app/i18n.ts';
import { useAction } from '../hooks/useAction.ts';
import { priorityKey, statusKey } from '../utils/labels.ts';
import type { Category, StaffUser, TicketFull } from '../utils/types.ts';
import { ActionStatus } from './ActionStatus.tsx';

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

interface Props {
  ticket: TicketFull;
  meId: string;
  onChanged(): void;
}

export function TicketControls({ ticket, meId, onChanged }: Props) {
  const path = `/tickets/${encodeURIComponent(ticket.id)}`;
  return (
    <div className="ticket-controls" data-testid="ticket-controls">
      <StatusForm ticket={ticket} path={path} onChanged={onChanged} />
      <FieldsForm ticket={ticket} path={path} onChanged={onChanged} />
      <OwnerForms ticket={ticket} meId={meId} path={path} onChanged={onChanged} />
      <RelatedForm path={path} onChanged={onChanged} />
    </div>
  );
}

type Part = Omit<Props, 'meId'> & { path: string };

function StatusForm({ ticket, path, onChanged }: Part) {
  const { t } = useI18n();
  const action = useAction();
  const options = [...ticket.allowedStatuses];
  if (ticket.status === 'resolved' && !options.includes('closed')) options.push('closed');
  const [to, setTo] = useState<string>('');
  const [waitingOn, setWaitingOn] = useState<'customer' | 'department'>('customer');
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!to) return;
    const ok = await action.run(() => api('POST', `${path}/status`, { body: { status: to, ...(to === 'pending' ? { waitingOn } : {}) } }), t('controls.statusChanged', { status: t(statusKey(to)) }));
    if (ok) {
      setTo('');
      onChanged();
    }
  };
  return (
    <form className="control" onSubmit={(e) => void submit(e)} data-testid="status-form">
      <label>
        {t('controls.status')}
        <select name="status" value={to} onChange={(e) => setTo(e.target.value)}>
          <option value="">{t(statusKey(ticket.status))} — {t('controls.choose')}</option>
          {options.map((s) => (
            <option key={s} value={s}>{t(statusKey(s))}</option>
          ))}
        </select>
      </label>
      {to === 'pending' && (
        <label>
          {t('controls.waitingOn')}
          <select name="waitingOn" value={waitingOn} onChange={(e) => setWaitingOn(e.target.value === 'department' ? 'department' : 'customer')}>
            <option value="customer">{t('controls.waitingOn.customer')}</option>
            <option value="department">{t('controls.waitingOn.department')}</option>
          </select>
        </label>
      )}
      <button type="submit" disabled={!to || action.busy}>{t('controls.apply')}</button>
      {ticket.status === 'resolved' && !ticket.customerNotifiedAt && <p className="muted small">{t('controls.closeNeedsNotice')}</p>}
      <ActionStatus action={action} testId="status" />
    </form>
  );
}

function FieldsForm({ ticket, path, onChanged }: Part) {
  const { t, lang } = useI18n();
  const action = useAction();
  const categories = useApiData<{ items: Category[] }>('/categories');
  const [priority, setPriority] = useState(ticket.priority);
  const [categoryId, setCategoryId] = useState(ticket.categoryId ?? '');
  const [tags, setTags] = useState(ticket.tags.join(', '));
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const list = [...new Set(tags.split(/[,，\s]+/u).map((x) => x.trim()).filter(Boolean))];
    const ok = await action.run(() => api('PATCH', path, { body: { priority, categoryId: categoryId || null, tags: list } }), t('controls.saved'));
    if (ok) onChanged();
  };
  return (
    <form className="control" onSubmit={(e) => void submit(e)} data-testid="fields-form">
      <label>
        {t('controls.priority')}
        <select name="priority" value={priority} onChange={(e) => setPriority(e.target.value as TicketFull['priority'])}>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>{t(priorityKey(p))}</option>
          ))}
        </select>
      </label>
      <label>
        {t('controls.category')}
        <select name="categoryId" value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
          <option value="">{t('controls.noCategory')}</option>
          {(categories.data?.items ?? []).filter((c) => c.active || c.id === categoryId).map((c) => (
            <option key={c.id} value={c.id}>{c.parentId ? '— ' : ''}{lang === 'zh' ? c.nameZh : c.nameEn}</option>
          ))}
        </select>
      </label>
      <label>
        {t('controls.tags')}
        <input name="tags" value={tags} onChange={(e) => setTags(e.target.value)} placeholder={t('controls.tagsHint')} />
      </label>
      <button type="submit" disabled={action.busy}>{t('controls.save')}</button>
      <ActionStatus action={action} testId="fields" />
    </form>
  );
}

function OwnerForms({ ticket, meId, path, onChanged }: Part & { meId: string }) {
  const { t } = useI18n();
  const take = useAction();
  const handover = useAction();
  const escalate = useAction();
  const users = useApiData<{ items: StaffUser[] }>('/users');
  const others = (users.data?.items ?? []).filter((u) => u.id !== meId && u.role !== 'integration');
  const [toUserId, setToUserId] = useState('');
  const [reason, setReason] = useState('');
  const [level, setLevel] = useState<'senior' | 'department' | 'supervisor'>('senior');
  const [ownerId, setOwnerId] = useState('');
  const [deadline, setDeadline] = useState('');
  const [escReason, setEscReason] = useState('');
  const mine = ticket.ownerId === meId;

  const doHandover = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!toUserId || reason.trim().length < 2) return;
    const ok = await handover.run(() => api('POST', `${path}/handover`, { body: { toUserId, reason: reason.trim() } }), t('controls.handedOver'));
    if (ok) {
      setReason('');
      onChanged();
    }
  };
  const doEscalate = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!ownerId || escReason.trim().length < 2) return;
    const deadlineAt = deadline ? new Date(deadline).toISOString() : null;
    const ok = await escalate.run(() => api('POST', `${path}/escalations`, { body: { level, ownerId, reason: escReason.trim(), deadlineAt } }), t('controls.escalated'));
    if (ok) {
      setEscReason('');
      onChanged();
    }
  };

  return (
    <>
      <div className="control" data-testid="owner">
        <p className="small">{ticket.ownerId === null ? t('controls.unowned') : mine ? t('controls.ownedByMe') : t('controls.ownedByOther')}</p>
        {ticket.ownerId === null && (
          <button type="button" disabled={take.busy} onClick={() => void take.run(() => api('POST', `${path}/take`), t('controls.taken')).then((ok) => ok && onChanged())}>
            {t('controls.take')}
          </button>
        )}
        <ActionStatus action={take} testId="take" />
      </div>
      <details className="control">
        <summary>{t('controls.handover')}</summary>
        <form onSubmit={(e) => void doHandover(e)} data-testid="handover-form">
          <p className="muted small">{t('controls.handoverHint')}</p>
          <label>
            {t('controls.handoverTo')}
            <select name="toUserId" value={toUserId} required onChange={(e) => setToUserId(e.target.value)}>
              <option value="">{t('controls.choose')}</option>
              {others.map((u) => (
                <option key={u.id} value={u.id}>{u.displayName}</option>
              ))}
            </select>
          </label>
          <label>
            {t('controls.reason')}
            <textarea name="reason" value={reason} required minLength={2} maxLength={1000} rows={2} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="submit" disabled={handover.busy || !toUserId || reason.trim().length < 2}>{t('controls.handoverSubmit')}</button>
          <ActionStatus action={handover} testId="handover" />
        </form>
      </details>
      <details className="control">
        <summary>{t('controls.escalate')}</summary>
        <form onSubmit={(e) => void doEscalate(e)} data-testid="escalate-form">
          <label>
            {t('controls.escalateLevel')}
            <select name="level" value={level} onChange={(e) => setLevel(e.target.value as typeof level)}>
              <option value="senior">{t('controls.level.senior')}</option>
              <option value="department">{t('controls.level.department')}</option>
              <option value="supervisor">{t('controls.level.supervisor')}</option>
            </select>
          </label>
          <label>
            {t('controls.escalateOwner')}
            <select name="ownerId" value={ownerId} required onChange={(e) => setOwnerId(e.target.value)}>
              <option value="">{t('controls.choose')}</option>
              {others.map((u) => (
                <option key={u.id} value={u.id}>{u.displayName}</option>
              ))}
            </select>
          </label>
          <label>
            {t('controls.deadline')}
            <input type="datetime-local" name="deadline" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
          </label>
          <label>
            {t('controls.reason')}
            <textarea name="escalationReason" value={escReason} required minLength={2} rows={2} onChange={(e) => setEscReason(e.target.value)} />
          </label>
          <button type="submit" disabled={escalate.busy || !ownerId || escReason.trim().length < 2}>{t('controls.escalateSubmit')}</button>
          <ActionStatus action={escalate} testId="escalate" />
        </form>
      </details>
    </>
  );
}

function RelatedForm({ path, onChanged }: Omit<Part, 'ticket'>) {
  const { t } = useI18n();
  const action = useAction();
  const [other, setOther] = useState('');
  const [kind, setKind] = useState<'merge' | 'related' | 'duplicate' | 'parent' | 'child'>('related');
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const number = other.trim();
    if (!number) return;
    const ok = kind === 'merge'
      ? await action.run(() => api('POST', `${path}/merge`, { body: { intoTicket: number } }), t('controls.merged', { number }))
      : await action.run(() => api('POST', `${path}/links`, { body: { otherTicket: number, kind } }), t('controls.linked', { number }));
    if (ok) {
      setOther('');
      onChanged();
    }
  };
  return (
    <details className="control">
      <summary>{t('controls.related')}</summary>
      <form onSubmit={(e) => void submit(e)} data-testid="related-form">
        <label>
          {t('controls.relatedKind')}
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="related">{t('controls.link.related')}</option>
            <option value="duplicate">{t('controls.link.duplicate')}</option>
            <option value="parent">{t('controls.link.parent')}</option>
            <option value="child">{t('controls.link.child')}</option>
            <option value="merge">{t('controls.mergeInto')}</option>
          </select>
        </label>
        <label>
          {t('controls.otherTicket')}
          <input name="otherTicket" value={other} required maxLength={64} placeholder="GD20260101000001" onChange={(e) => setOther(e.target.value)} />
        </label>
        <button type="submit" disabled={action.busy || other.trim() === ''}>{t(kind === 'merge' ? 'controls.mergeSubmit' : 'controls.linkSubmit')}</button>
        <ActionStatus action={action} testId="related" />
      </form>
    </details>
  );
}
