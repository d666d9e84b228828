/** The portal's i18n: its dictionaries in the shared layer (create-i18n.tsx). */
import { createI18n } from './create-i18n.tsx';
import { DICTIONARIES } from './translate.ts';

export const { I18nProvider, useI18n } = createI18n(DICTIONARIES);
