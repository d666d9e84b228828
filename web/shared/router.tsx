/**
 * A small history-API router, one per app: the portal under /portal, the agent workspace at /.
 * Paths inside an app are written without its base ("/tickets/123").
 */
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export interface Route {
  /** Path inside the app, e.g. "/tickets/123". */
  path: string;
  search: URLSearchParams;
}

export interface Router {
  base: string;
  navigate(to: string, opts?: { replace?: boolean }): void;
  useRoute(): Route;
  Link(props: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>): React.JSX.Element;
}

/** `base` is "" for an app at the site's root, or a prefix without a trailing slash ("/portal"). */
export function createRouter(base: string): Router {
  const listeners = new Set<() => void>();

  function current(): Route {
    const p = window.location.pathname;
    const path = base === '' ? p || '/' : p.startsWith(base) ? p.slice(base.length) || '/' : '/';
    return { path, search: new URLSearchParams(window.location.search) };
  }

  function navigate(to: string, opts: { replace?: boolean } = {}): void {
    if (opts.replace) window.history.replaceState(null, '', base + to);
    else window.history.pushState(null, '', base + to);
    listeners.forEach((l) => l());
  }

  function useRoute(): Route {
    const [route, setRoute] = useState(current);
    useEffect(() => {
      const update = (): void => setRoute(current());
      listeners.add(update);
      window.addEventListener('popstate', update);
      return () => {
        listeners.delete(update);
        window.removeEventListener('popstate', update);
      };
    }, []);
    return route;
  }

  /** An in-app link: a real href (open in new tab works), navigation without a reload. */
  function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
    const handle = (e: MouseEvent<HTMLAnchorElement>): void => {
      onClick?.(e);
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(to);
    };
    return <a href={base + to} onClick={handle} {...rest} />;
  }

  return { base, navigate, useRoute, Link };
}
