// The web UI's entry: one graph canvas and detail panel shared by the matches view and the lineage browser; the
// hash route decides what they show, so every picture has a link.
import type { NodeSingular } from 'cytoscape';
import { accessToken, api, TokenRequired, type Device, type GraphDto, type Match } from './api';
import { el, mount } from './dom';
import { currentRoute, go, withParams } from './route';
import { DetailPanel } from './views/detail-panel';
import { GraphView } from './views/graph-view';
import { expandNode, renderLineage } from './views/lineage-view';
import { renderMatches } from './views/matches-view';

const $ = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;
const side = $('side');
const toolbar = $('toolbar');
const statusLine = $('status');
const detail = new DetailPanel($('detail'));
const lineageLink = (key: string, deviceId: string): string => `#/lineage?device=${encodeURIComponent(deviceId)}&process=${encodeURIComponent(key)}`;
let title = 'lineage';

const graph = new GraphView($('cy'), {
  onSelect(node: NodeSingular | null) {
    history.replaceState(null, '', `#/${currentRoute().view}?${new URLSearchParams(withParams({ node: node?.id() ?? null }))}`);
    if (node && detail.isOpen()) detail.show(node, { lineage: lineageLink });
  },
  onOpen(node: NodeSingular) { detail.show(node, { lineage: lineageLink }); },
  onClose() { detail.close(); },
  onExpand(node: NodeSingular) {
    if (currentRoute().view !== 'lineage') return;
    void expandNode(node, { mergeGraph: (dto) => graph.merge(dto), status }, (id) => graph.collapse(id), (id) => graph.hasChildrenShown(id)).catch((error: Error) => status(error.message));
  },
});

function status(text: string): void {
  statusLine.textContent = text;
}

function setToolbar(text: string, exportable: boolean, notes: readonly string[] = []): void {
  const png = el('button', { class: 'btn', type: 'button', 'data-testid': 'export-png' }, 'export PNG');
  png.addEventListener('click', () => graph.exportPng(title));
  const json = el('button', { class: 'btn', type: 'button', 'data-testid': 'export-json' }, 'export JSON');
  json.addEventListener('click', () => graph.exportJson(title));
  // What the alert rests on that the data did not show directly (an RPCSS host known by image and account only, an
  // inexact connection clock): said next to the title, as text.
  const said = notes.length > 0 ? el('span', { class: 'muted', 'data-testid': 'graph-notes' }, `note: ${notes.join('; ')}`) : null;
  mount(toolbar, el('span', { class: 'title', 'data-testid': 'graph-title' }, text), said, exportable ? png : null, exportable ? json : null);
}

function showGraph(dto: GraphDto, text: string, focus: string | null, notes: readonly string[] = []): void {
  title = text.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'lineage';
  setToolbar(text, true, notes);
  graph.show(dto, focus);
  const selected = graph.selected();
  if (selected && currentRoute().params.get('node')) detail.show(selected, { lineage: lineageLink });
}

function clearGraph(message: string): void {
  graph.show({ nodes: [], edges: [], truncated: false });
  setToolbar(message, false);
  detail.close();
}

function describeMatch(match: Match): string {
  return match.mode === 'lineage'
    ? `${match.comServer.fileName} on ${match.deviceName} from ${match.connections.map((c) => c.remoteIp).join(', ')} · ${match.time}`
    : `${match.DCOMCmdLine} on ${match.DeviceName} from ${match.RemoteIP} · ${match.TimestampProcEventExact} (rule)`;
}

async function showMatch(id: string, node: string | null): Promise<void> {
  const [match, dto] = await Promise.all([api.match(id), api.matchGraph(id)]);
  showGraph(dto, describeMatch(match), node, match.mode === 'lineage' ? match.notes : []);
}

// A read-only view of the drawn graph for automation (browser tests, scripts): node and edge data, and where each
// node is on screen. It exposes nothing the page does not already show.
(window as unknown as { lineageGraph: () => unknown }).lineageGraph = () => ({
  nodes: graph.cy.nodes().map((n) => ({ ...n.data(), selected: n.selected(), x: n.renderedPosition().x, y: n.renderedPosition().y })),
  edges: graph.cy.edges().map((e) => e.data()),
});

mount($('legend'), ...['process', 'connection', 'remote', 'boot', 'matched'].map((kind) => el('span', { class: `k-${kind}` }, kind === 'matched' ? 'matched path' : kind)));

let devices: Device[] = [];
let rendering = 0;

async function render(): Promise<void> {
  const token = ++rendering;
  const route = currentRoute();
  $('nav-matches').classList.toggle('active', route.view === 'matches');
  $('nav-lineage').classList.toggle('active', route.view === 'lineage');
  if (devices.length === 0) devices = (await api.devices()).items;
  if (token !== rendering) return;
  if (route.view === 'lineage') await renderLineage(route, { side, devices, showGraph, mergeGraph: (dto) => graph.merge(dto), clearGraph, status });
  else await renderMatches(route, { side, devices, showMatch, clearGraph, status });
}

/** Asks for the token a server started with `--token` wants, then draws the page again with it. */
function askForToken(reason: string): void {
  const input = el('input', { type: 'password', name: 'token', autocomplete: 'off', placeholder: 'token', 'data-testid': 'token-input' });
  const form = el('form', { class: 'token-form', 'data-testid': 'token-form' },
    el('h2', {}, 'Access token'),
    el('p', { class: 'muted', 'data-testid': 'token-reason' }, `${reason}: the one given to lineage serve --token. It is kept for this tab only.`),
    input,
    el('button', { class: 'btn', type: 'submit' }, 'use token'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!input.value) return;
    accessToken.set(input.value);
    void draw();
  });
  mount(side, form);
  clearGraph('');
  status(reason);
  input.focus();
}

function draw(): Promise<void> {
  return render().catch((error: Error) => {
    if (error instanceof TokenRequired) askForToken(error.message);
    else status(error.message);
  });
}

window.addEventListener('hashchange', () => { void draw(); });
document.addEventListener('keydown', (event) => { if (event.key === 'Escape') detail.close(); });
if (!location.hash) go('matches', {}, true);
void draw();
