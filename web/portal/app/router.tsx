/** The portal's router: its pages live under /portal/. */
import { createRouter } from '../../shared/router.tsx';

export type { Route } from '../../shared/router.tsx';
export const BASE = '/portal';
export const { navigate, useRoute, Link } = createRouter(BASE);
