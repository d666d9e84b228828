/** The express side tools, prefilled from the parcel: each answer is one sentence the agent may insert into the reply. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useI18n } from '../../../app/i18n.ts';
import { ActionStatus } from '../../tickets/components/ActionStatus.tsx';
import { useAction } from '../../tickets/hooks/useAction.ts';

export interface ParcelFacts {
  origin: string;
  destination: string;
  weightKg: number | null;
  declaredValue: number | null;
  insured: boolean;
  postage: number | null;
  itemDescription: string | null;
  product: string;
}

const num = (s: string): number | undefined => (s.trim() === '' || !Number.isFinite(Number(s)) ? undefined : Number(s));

export function ExpressTools({ facts, onInsert }: { facts: ParcelFacts | null; onInsert(text: string): void }) {
  const { t } = useI18n();
  // Remounted per parcel so each tool starts from that parcel's facts.
  const key = facts ? `${facts.origin}-${facts.destination}-${facts.weightKg}` : 'none';
  return (
    <div className="express-tools" key={key} data-testid="express-tools">
      <h3>{t('tools.title')}</h3>
      <QuoteTool facts={facts} onInsert={onInsert} />
      <EstimateTool facts={facts} onInsert={onInsert} />
      <ItemTool facts={facts} onInsert={onInsert} />
      <CompensationTool facts={facts} onInsert={onInsert} />
    </div>
  );
}

type ToolProps = { facts: ParcelFacts | null; onInsert(text: string): void };

function Tool({ name, testId, sentence, onInsert, onSubmit, busy, children, action }: { name: string; testId: string; sentence: string | null; onInsert(text: string): void; onSubmit(e: FormEvent): void; busy: boolean; children: ReactNode; action: ReturnType<typeof useAction> }) {
  const { t } = useI18n();
  return (
    <details className="tool" data-testid={testId}>
      <summary>{name}</summary>
      <form onSubmit={onSubmit} className="tool-form">
        {children}
        <button type="submit" disabled={busy}>{t('tools.run')}</button>
      </form>
      <ActionStatus action={action} testId={testId} />
      {sentence && (
        <div className="tool-result">
          <p data-testid={`${testId}-sentence`}>{sentence}</p>
          <button type="button" className="secondary" onClick={() => onInsert(sentence)} aria-label={t('tools.insertLabel', { tool: name })}>{t('tools.insert')}</button>
        </div>
      )}
    </details>
  );
}

function RouteFields({ origin, destination, setOrigin, setDestination }: { origin: string; destination: string; setOrigin(v: string): void; setDestination(v: string): void }) {
  const { t } = useI18n();
  return (
    <>
      <label>
        {t('tools.origin')}
        <input name="origin" value={origin} inputMode="numeric" pattern="\d{6}" required onChange={(e) => setOrigin(e.target.value)} />
      </label>
      <label>
        {t('tools.destination')}
        <input name="destination" value={destination} inputMode="numeric" pattern="\d{6}" required onChange={(e) => setDestination(e.target.value)} />
      </label>
    </>
  );
}

function QuoteTool({ facts, onInsert }: ToolProps) {
  const { t, lang } = useI18n();
  const action = useAction();
  const [origin, setOrigin] = useState(facts?.origin ?? '');
  const [destination, setDestination] = useState(facts?.destination ?? '');
  const [weight, setWeight] = useState(facts?.weightKg ? String(facts.weightKg) : '1');
  const [declared, setDeclared] = useState(facts?.insured && facts.declaredValue ? String(facts.declaredValue) : '');
  const [sentence, setSentence] = useState<string | null>(null);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setSentence(null);
    const declaredValue = num(declared);
    void action.run(async () => {
      const q = await api<{ sentence: string; sentenceEn: string }>('POST', '/quotes', { body: { origin, destination, weightKg: num(weight) ?? 0, ...(declaredValue ? { declaredValue } : {}) } });
      setSentence(lang === 'zh' ? q.sentence : q.sentenceEn);
    }, '');
  };
  return (
    <Tool name={t('tools.quote')} testId="tool-quote" sentence={sentence} onInsert={onInsert} onSubmit={submit} busy={action.busy} action={action}>
      <RouteFields origin={origin} destination={destination} setOrigin={setOrigin} setDestination={setDestination} />
      <label>
        {t('tools.weight')}
        <input name="weightKg" value={weight} inputMode="decimal" required onChange={(e) => setWeight(e.target.value)} />
      </label>
      <label>
        {t('tools.declaredValue')}
        <input name="declaredValue" value={declared} inputMode="decimal" onChange={(e) => setDeclared(e.target.value)} />
      </label>
    </Tool>
  );
}

function EstimateTool({ facts, onInsert }: ToolProps) {
  const { t, lang } = useI18n();
  const action = useAction();
  const [origin, setOrigin] = useState(facts?.origin ?? '');
  const [destination, setDestination] = useState(facts?.destination ?? '');
  const [sentence, setSentence] = useState<string | null>(null);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setSentence(null);
    const product = facts && ['standard', 'express', 'same_day', 'next_day', 'cold_chain'].includes(facts.product) ? facts.product : 'standard';
    void action.run(async () => {
      const r = await api<{ sentence: string; sentenceEn: string }>('POST', '/delivery-estimates', { body: { origin, destination, product } });
      setSentence(lang === 'zh' ? r.sentence : r.sentenceEn);
    }, '');
  };
  return (
    <Tool name={t('tools.estimate')} testId="tool-estimate" sentence={sentence} onInsert={onInsert} onSubmit={submit} busy={action.busy} action={action}>
      <RouteFields origin={origin} destination={destination} setOrigin={setOrigin} setDestination={setDestination} />
    </Tool>
  );
}

function ItemTool({ facts, onInsert }: ToolProps) {
  const { t } = useI18n();
  const action = useAction();
  const [description, setDescription] = useState(facts?.itemDescription ?? '');
  const [sentence, setSentence] = useState<string | null>(null);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setSentence(null);
    void action.run(async () => {
      const r = await api<{ reason: string }>('POST', '/item-checks', { body: { description } });
      setSentence(r.reason);
    }, '');
  };
  return (
    <Tool name={t('tools.items')} testId="tool-items" sentence={sentence} onInsert={onInsert} onSubmit={submit} busy={action.busy} action={action}>
      <label>
        {t('tools.itemDescription')}
        <input name="description" value={description} required maxLength={1000} onChange={(e) => setDescription(e.target.value)} />
      </label>
    </Tool>
  );
}

function CompensationTool({ facts, onInsert }: ToolProps) {
  const { t, lang } = useI18n();
  const action = useAction();
  const [kind, setKind] = useState<'loss' | 'damage' | 'delay'>('loss');
  const [insured, setInsured] = useState(facts?.insured ?? false);
  const [declared, setDeclared] = useState(facts?.declaredValue ? String(facts.declaredValue) : '');
  const [postage, setPostage] = useState(facts?.postage ? String(facts.postage) : '');
  const [claimed, setClaimed] = useState('');
  const [sentence, setSentence] = useState<string | null>(null);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setSentence(null);
    const declaredValue = num(declared);
    void action.run(async () => {
      const r = await api<{ amount: number; basisZh: string; basisEn: string }>('POST', '/compensation-estimates', {
        body: { kind, insured, postage: num(postage) ?? 0, claimedLoss: num(claimed) ?? 0, ...(declaredValue !== undefined ? { declaredValue } : {}) },
      });
      setSentence(t('tools.compensationSentence', { amount: r.amount.toFixed(2), basis: lang === 'zh' ? r.basisZh : r.basisEn }));
    }, '');
  };
  return (
    <Tool name={t('tools.compensation')} testId="tool-compensation" sentence={sentence} onInsert={onInsert} onSubmit={submit} busy={action.busy} action={action}>
      <label>
        {t('tools.compKind')}
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="loss">{t('tools.comp.loss')}</option>
          <option value="damage">{t('tools.comp.damage')}</option>
          <option value="delay">{t('tools.comp.delay')}</option>
        </select>
      </label>
      <label className="checkbox">
        <input type="checkbox" name="insured" checked={insured} onChange={(e) => setInsured(e.target.checked)} /> {t('tools.insured')}
      </label>
      <label>
        {t('tools.declaredValue')}
        <input name="declaredValue" value={declared} inputMode="decimal" onChange={(e) => setDeclared(e.target.value)} />
      </label>
      <label>
        {t('tools.postage')}
        <input name="postage" value={postage} inputMode="decimal" required onChange={(e) => setPostage(e.target.value)} />
      </label>
      <label>
        {t('tools.claimedLoss')}
        <input name="claimedLoss" value={claimed} inputMode="decimal" required onChange={(e) => setClaimed(e.target.value)} />
      </label>
    </Tool>
  );
}
