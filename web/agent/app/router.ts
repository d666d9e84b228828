/** The agent workspace's router: it lives at the site's root (/, /login, /tickets/…). */
import { createRouter } from '../../shared/router.tsx';

export { safeNext } from './next-path.ts';
export const { navigate, useRoute, Link } = createRouter('');
