import { useI18n } from './i18n.ts';

export function LanguageToggle() {
  const { lang, setLang, t } = useI18n();
  return (
    <button type="button" className="lang" data-testid="lang-toggle" aria-label={t('lang.switchLabel')} lang={lang === 'zh' ? 'en' : 'zh-CN'} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
      {t('lang.switchTo')}
    </button>
  );
}
