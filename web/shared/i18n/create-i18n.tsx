/**
 * React side of the i18n layer, made once per app from its dictionaries: the chosen language
 * (remembered in localStorage, shared by the portal and the agent workspace) and a typed t().
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { initialLang, translateWith, type Dictionaries, type Lang } from './core.ts';

const STORAGE_KEY = 'pd_lang';

export interface I18n<K extends string> {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: K, params?: Record<string, string | number>): string;
}

function readStored(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked (e.g. third-party iframe): the choice is not remembered
  }
}

export function createI18n<K extends string>(dictionaries: Dictionaries<K>) {
  const I18nContext = createContext<I18n<K> | null>(null);

  function I18nProvider({ children }: { children: ReactNode }) {
    const [lang, setLangState] = useState<Lang>(() => initialLang(window.location.search, readStored()));
    const setLang = useCallback((next: Lang) => {
      setLangState(next);
      try {
        window.localStorage.setItem(STORAGE_KEY, next);
      } catch {
        // storage blocked: the toggle still works for this page
      }
    }, []);
    useEffect(() => {
      document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    }, [lang]);
    const value = useMemo<I18n<K>>(() => ({ lang, setLang, t: (key, params) => translateWith(dictionaries, lang, key, params) }), [lang, setLang]);
    return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
  }

  function useI18n(): I18n<K> {
    const v = useContext(I18nContext);
    if (!v) throw new Error('useI18n outside I18nProvider');
    return v;
  }

  return { I18nProvider, useI18n };
}
