import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SessionProvider } from '../shared/auth/useSession.tsx';
import { App } from './app/App.tsx';
import { I18nProvider } from './app/i18n.ts';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
