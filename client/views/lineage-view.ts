// The lineage browser: pick a device, search a process (name, command line, PID, time range), see its ancestors
// and descendants; double-click a process to expand or collapse it, a "+N more" node to show what was left out.
import type { NodeSingular } from 'cytoscape';
import { api, type Device, type GraphDto, type LineageGraph } from '../api';
import { el, mount, onActivate } from '../dom';
import { go, withParams, type Route } from '../route';
import { deviceSelect, labelled, textInput } from './filters';

export interface LineageViewDeps {
  side: HTMLElement;
  devices: readonly Device[];
  showGraph(dto: GraphDto, title: string, focus: string | null): void;
  mergeGraph(dto: GraphDto): void;
  clearGraph(message: string): void;
  status(text: string): void;
}

/** Children of one process drawn at first; a "+N more" node then shows the next page of them. */
const FIRST_CHILDREN = 25;
const MORE_CHILDREN = 100;

/**
 * Lineage graph plus a "+N more" node under every node whose children were left out. The node remembers how many of
 * that parent's children came before it (`skip`: those in this graph, after the `rootSkip` the request passed over),
 * so opening it asks for the next page.
 */
export function withMoreNodes(graph: LineageGraph, rootSkip = 0): GraphDto {
  const nodes = [...graph.nodes];
  const edges = [...graph.edges];
  for (const [parent, count] of Object.entries(graph.omitted.byNode)) {
    const id = `more:${parent}`;
    const shown = graph.edges.filter((e) => e.kind === 'spawned' && e.source === parent).length;
    const skip = shown + (parent === graph.root ? rootSkip : 0);
    nodes.push({ id, kind: 'more', label: `+${count} more`, time: null, matched: false, data: { of: parent, count, skip } });
    edges.push({ id: `${parent}->${id}`, source: parent, target: id, kind: 'more', label: '', matched: false });
  }
  return { nodes, edges, truncated: graph.truncated };
}

/** Double-click: expand a process one level (or collapse it), or open a "+N more" node: the next page of children. */
export async function expandNode(node: NodeSingular, deps: Pick<LineageViewDeps, 'mergeGraph' | 'status'>, collapse: (id: string) => void, hasChildren: (id: string) => boolean): Promise<void> {
  const data = node.data() as { id: string; kind: string; of?: string; count?: number; skip?: number };
  if (data.kind === 'more' && data.of) {
    node.remove();
    const skip = data.skip ?? 0;
    const graph = await api.lineage(data.of, { ancestors: 0, descendants: 1, maxNodes: MORE_CHILDREN + 1, maxChildren: MORE_CHILDREN, skip });
    deps.mergeGraph(withMoreNodes(graph, skip));
    deps.status(`${graph.nodes.length - 1} more child process(es)`);
    return;
  }
  if (data.kind !== 'process') return;
  if (hasChildren(data.id)) {
    collapse(data.id);
    deps.status('collapsed');
    return;
  }
  const graph = await api.lineage(data.id, { ancestors: 0, descendants: 1, maxNodes: MORE_CHILDREN + 1, maxChildren: MORE_CHILDREN });
  deps.mergeGraph(withMoreNodes(graph));
  deps.status(`${graph.nodes.length - 1} child process(es)`);
}

export async function renderLineage(route: Route, deps: LineageViewDeps): Promise<void> {
  const p = route.params;
  const deviceId = p.get('device') ?? deps.devices.find((d) => d.alerts > 0)?.deviceId ?? deps.devices[0]?.deviceId ?? '';
  const deviceControl = deviceSelect(deps.devices, deviceId, false);
  const q = textInput('q', p.get('q'), 'name or command line');
  const pid = textInput('pid', p.get('pid'), 'PID');
  const from = textInput('from', p.get('from'), 'from: YYYY-MM-DD or ISO time');
  const to = textInput('to', p.get('to'), 'to: YYYY-MM-DD or ISO time');
  const search = el('button', { class: 'btn', type: 'button' }, 'search');
  const submit = () => go('lineage', { device: deviceControl.value, q: q.value.trim(), pid: pid.value.trim(), from: from.value.trim(), to: to.value.trim() });
  search.addEventListener('click', submit);
  for (const input of [q, pid, from, to]) input.addEventListener('keydown', (event) => { if (event.key === 'Enter') submit(); });
  const results = el('div', {}, el('p', { class: 'muted' }, 'loading…'));
  mount(deps.side, el('h2', {}, 'Lineage browser'),
    el('div', { class: 'filters' }, labelled('device', deviceControl), labelled('search', q), labelled('pid', pid), el('span', {}), labelled('from', from), labelled('to', to)),
    el('div', { class: 'pager' }, search), results);
  if (!deviceId) {
    mount(results, el('p', { class: 'empty' }, 'the store has no devices'));
    return;
  }
  try {
    const page = await api.processes(deviceId, { q: p.get('q') ?? undefined, pid: p.get('pid') ?? undefined, from: p.get('from') ?? undefined, to: p.get('to') ?? undefined, limit: 200, cursor: p.get('cursor') });
    const table = el('table', { class: 'list', 'data-testid': 'process-list' }, el('tr', {}, el('th', {}, 'time (UTC)'), el('th', {}, 'pid'), el('th', {}, 'process'), el('th', {}, 'command line')));
    for (const process of page.items) {
      const row = el('tr', { class: `row${process.key === p.get('process') ? ' selected' : ''}`, 'data-process-key': process.key, tabindex: '0' },
        el('td', { class: 'mono' }, process.time.slice(5, 19).replace('T', ' ')), el('td', { class: 'mono' }, String(process.pid ?? '?')),
        el('td', {}, process.fileName), el('td', { class: 'mono clip', title: process.commandLine }, process.commandLine));
      onActivate(row, () => go('lineage', withParams({ process: process.key, node: null })));
      table.append(row);
    }
    const more = el('button', { class: 'btn', type: 'button' }, 'older ›');
    more.disabled = !page.nextCursor;
    more.addEventListener('click', () => go('lineage', withParams({ cursor: page.nextCursor })));
    mount(results, page.items.length ? table : el('p', { class: 'empty' }, 'no process matches'), el('div', { class: 'pager' }, more, el('span', { class: 'muted' }, `${page.items.length} process(es)`)));
    deps.status(`${page.items.length}${page.nextCursor ? '+' : ''} process(es)`);
  } catch (error) {
    mount(results, el('p', { class: 'empty' }, (error as Error).message));
  }
  const key = p.get('process');
  if (!key) {
    deps.clearGraph('search a process and pick it to see its lineage');
    return;
  }
  try {
    const graph = await api.lineage(key, { ancestors: 8, descendants: 3, maxNodes: 300, maxChildren: FIRST_CHILDREN });
    const root = graph.nodes.find((n) => n.id === key);
    deps.showGraph(withMoreNodes(graph), `lineage of ${root?.label ?? key}`, p.get('node') ?? key);
  } catch (error) {
    deps.clearGraph((error as Error).message);
  }
}
