// The URL is the state: `#/<view>?<params>`, so a link pasted into a ticket reopens the same picture.

export interface Route {
  view: 'matches' | 'lineage';
  params: URLSearchParams;
}

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const [view, query] = hash.split('?', 2);
  return { view: view === 'lineage' ? 'lineage' : 'matches', params: new URLSearchParams(query ?? '') };
}

/** Navigates to `view` with `params` (empty values dropped). */
export function go(view: Route['view'], params: Record<string, string | null | undefined>, replace = false): void {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const hash = `#/${view}${query.size ? `?${query}` : ''}`;
  if (replace) history.replaceState(null, '', hash);
  else location.hash = hash;
}

/** The current route's params with some changed. */
export function withParams(changes: Record<string, string | null | undefined>): Record<string, string> {
  const params = Object.fromEntries(currentRoute().params);
  for (const [name, value] of Object.entries(changes)) {
    if (value) params[name] = value;
    else delete params[name];
  }
  return params;
}
