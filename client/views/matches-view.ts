// The matches view: alerts newest first with filters (device, time range, mode) and pages; a comparison of the two
// modes with the reason for each difference; the selected match's evidence graph.
import { api, type Device, type Match } from '../api';
import { el, mount, onActivate } from '../dom';
import { go, withParams, type Route } from '../route';
import { deviceSelect, labelled, segmented, textInput } from './filters';

export interface MatchesViewDeps {
  side: HTMLElement;
  devices: readonly Device[];
  showMatch(id: string, node: string | null): Promise<void>;
  clearGraph(message: string): void;
  status(text: string): void;
}

const remotes = (m: Match): string => (m.mode === 'lineage' ? [...new Set(m.connections.map((c) => c.remoteIp))].join(' ') : m.RemoteIP);
const device = (m: Match): string => (m.mode === 'lineage' ? m.deviceName : m.DeviceName);
const server = (m: Match): string => (m.mode === 'lineage' ? m.comServer.commandLine : m.DCOMCmdLine);
/** The COM server's program and arguments without its folder, for the list. */
const short = (commandLine: string): string => commandLine.replace(/^"?[^"]*\\([^\\"]+)"?/, '$1');
const children = (m: Match): number => (m.mode === 'lineage' ? m.children.length : m.set_ProcessCommandLine.length);
const time = (m: Match): string => (m.mode === 'lineage' ? m.time : m.TimestampProcEventExact);

export async function renderMatches(route: Route, deps: MatchesViewDeps): Promise<void> {
  const p = route.params;
  const mode = p.get('mode') === 'sentinel' ? 'sentinel' : 'lineage';
  const filters = { mode, deviceId: p.get('device') ?? undefined, from: p.get('from') ?? undefined, to: p.get('to') ?? undefined };
  const deviceControl = deviceSelect(deps.devices, p.get('device'), true);
  const from = textInput('from', p.get('from'), 'from: YYYY-MM-DD or ISO time');
  const to = textInput('to', p.get('to'), 'to: YYYY-MM-DD or ISO time');
  const apply = el('button', { class: 'btn', type: 'button' }, 'apply');
  apply.addEventListener('click', () => go('matches', withParams({ device: deviceControl.value, from: from.value.trim(), to: to.value.trim(), cursor: null, match: null, node: null })));
  const compareToggle = el('button', { class: 'btn', type: 'button' }, p.get('compare') ? 'hide differences' : 'differences between modes');
  compareToggle.addEventListener('click', () => go('matches', withParams({ compare: p.get('compare') ? null : '1' })));
  const list = el('div', {}, el('p', { class: 'muted' }, 'loading…'));
  const compare = el('div', {});
  mount(deps.side,
    el('h2', {}, 'DCOM lateral movement'),
    el('div', { class: 'filters' }, labelled('mode', segmented(['lineage', 'sentinel'], mode, (value) => go('matches', withParams({ mode: value, cursor: null, match: null, node: null })))),
      labelled('device', deviceControl), labelled('from', from), labelled('to', to)),
    el('div', { class: 'pager' }, apply, compareToggle),
    compare, list);

  try {
    const page = await api.matches({ ...filters, limit: 50, cursor: p.get('cursor') });
    const selectedId = p.get('match');
    const table = el('table', { class: 'list', 'data-testid': 'match-list' },
      el('tr', {}, el('th', {}, 'time (UTC)'), el('th', {}, 'device'), el('th', {}, 'remote'), el('th', {}, 'COM server'), el('th', {}, 'children')));
    for (const match of page.items) {
      const row = el('tr', { class: `row${match.id === selectedId ? ' selected' : ''}`, 'data-match-id': match.id, tabindex: '0' },
        el('td', { class: 'mono' }, time(match).slice(5, 19).replace('T', ' ')), el('td', {}, device(match).split('.')[0] ?? ''),
        el('td', { class: 'mono' }, remotes(match)), el('td', { class: 'mono clip', title: server(match) }, short(server(match))), el('td', {}, String(children(match))));
      onActivate(row, () => go('matches', withParams({ match: match.id, node: null })));
      table.append(row);
    }
    const older = el('button', { class: 'btn', type: 'button' }, 'older ›');
    older.disabled = !page.nextCursor;
    older.addEventListener('click', () => go('matches', withParams({ cursor: page.nextCursor, match: null, node: null })));
    const newest = el('button', { class: 'btn', type: 'button' }, '« newest');
    newest.disabled = !p.get('cursor');
    newest.addEventListener('click', () => go('matches', withParams({ cursor: null, match: null, node: null })));
    mount(list, page.items.length ? table : el('p', { class: 'empty' }, 'no matches for these filters'),
      el('div', { class: 'pager' }, newest, older, el('span', { class: 'muted' }, `${page.items.length} shown · ${mode} mode`)));
    deps.status(`${page.items.length}${page.nextCursor ? '+' : ''} ${mode} match(es)`);
    if (selectedId) await deps.showMatch(selectedId, p.get('node'));
    else deps.clearGraph(page.items.length ? 'pick a match to see its evidence graph' : 'no match to show');
  } catch (error) {
    mount(list, el('p', { class: 'empty' }, (error as Error).message));
  }

  if (p.get('compare')) {
    try {
      const comparison = await api.compare({ deviceId: filters.deviceId, from: filters.from, to: filters.to });
      mount(compare, el('h3', {}, `modes differ on ${comparison.differences.length} chain(s)`),
        ...comparison.differences.map((d) => el('div', { class: `diff only-${d.only}`, 'data-testid': 'difference' },
          el('div', {}, el('span', { class: 'only' }, `only ${d.only}`), ' · ', el('span', { class: 'mono' }, d.time.replace('T', ' ').slice(0, 19)), ' · ', d.deviceName.split('.')[0] ?? ''),
          el('div', { class: 'mono clip', title: d.comServerCommandLine }, d.comServerCommandLine),
          el('div', { class: 'muted' }, d.reason))));
    } catch (error) {
      mount(compare, el('p', { class: 'empty' }, (error as Error).message));
    }
  }
}
