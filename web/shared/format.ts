import type { Lang } from './i18n/translate.ts';

/**
 * Times show in the company's zone (the server's sentences, e.g. 「预计…前送达」, use it too), so a
 * customer abroad or a browser set to UTC reads the same clock as the agent.
 */
export const TIME_ZONE = 'Asia/Shanghai';

/** A timestamp as the reader's language writes it, in the company's time zone. */
export function formatDateTime(iso: string | null, lang: Lang): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function formatTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' });
}

/** A short list as the language writes it: 破损、延误 / damaged, delayed. */
export function formatList(items: readonly string[], lang: Lang): string {
  return items.join(lang === 'zh' ? '、' : ', ');
}
