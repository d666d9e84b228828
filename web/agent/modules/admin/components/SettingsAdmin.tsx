/**
 * Every other setting SPEC calls data (guard rules, KB synonyms, tariffs, …): pick a key, edit its
 * value as JSON; the server checks it against the setting's schema. A few have a friendlier editor
 * (KB synonyms as lines, the language guard's lists and rules, the dashboard's targets), with JSON
 * a tick away.
 */
import { useState } from 'react';
import { api } from '../../../../shared/api/client.ts';
import { useApiData } from '../../../../shared/api/useApiData.ts';
import { useI18n } from '../../../app/i18n.ts';
import type { GuardConfig } from '../utils/guard-config.ts';
import type { Targets } from '../utils/targets.ts';
import { GuardRulesEditor } from './GuardRulesEditor.tsx';
import { JsonEditor } from './JsonEditor.tsx';
import { SynonymsEditor } from './SynonymsEditor.tsx';
import { TargetsEditor } from './TargetsEditor.tsx';

/** Settings with an editor of their own. */
const FRIENDLY = new Set(['kb.synonyms', 'guard.rules', 'reports.targets']);

export default function SettingsAdmin() {
  const { t } = useI18n();
  const settings = useApiData<Record<string, unknown>>('/settings');
  const [key, setKey] = useState('');
  const [asJson, setAsJson] = useState(false);
  const keys = Object.keys(settings.data ?? {}).sort();
  return (
    <div data-testid="admin-settings">
      <h1>{t('admin.section.settings')}</h1>
      <p className="muted">{t('admin.settings.intro')}</p>
      {!settings.data ? <p className="notice">{settings.error ? settings.error.message : t('common.loading')}</p> : (
        <div className="field" style={{ maxWidth: 360 }}>
          <label htmlFor="setting-key">{t('admin.settings.key')}</label>
          <select id="setting-key" value={key} onChange={(e) => setKey(e.target.value)}>
            <option value="">—</option>
            {keys.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        </div>
      )}
      {key && settings.data ? (
        <section className="card" style={{ marginTop: 12 }}>
          <h2><code>{key}</code></h2>
          {FRIENDLY.has(key) ? <label className="check"><input type="checkbox" checked={asJson} onChange={(e) => setAsJson(e.target.checked)} />{t('admin.settings.asJson')}</label> : null}
          {FRIENDLY.has(key) && !asJson && key === 'guard.rules' ? <GuardRulesEditor value={settings.data[key] as GuardConfig} onSaved={settings.reload} />
            : FRIENDLY.has(key) && !asJson && key === 'reports.targets' ? <TargetsEditor value={settings.data[key] as Targets} onSaved={settings.reload} />
            : key === 'kb.synonyms' && !asJson ? <SynonymsEditor value={settings.data[key] as string[][]} onSaved={settings.reload} /> : <JsonEditor key={key} id={`setting-${key.replace(/\W/g, '-')}`} label={key} value={settings.data[key]} save={(value) => api('PUT', `/settings/${encodeURIComponent(key)}`, { body: value })} onSaved={settings.reload} />}
        </section>
      ) : null}
    </div>
  );
}
