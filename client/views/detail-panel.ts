// The detail panel: every field of the selected node, the command line in full, and for a process the raw events
// behind it, each with a copy button.
import type { NodeSingular } from 'cytoscape';
import { api } from '../api';
import { copyButton, el, mount } from '../dom';

const HIDDEN = new Set(['label', 'matched']);

function fieldRows(data: Record<string, unknown>): HTMLTableElement {
  const table = el('table', { class: 'fields' });
  for (const [name, value] of Object.entries(data)) {
    if (HIDDEN.has(name) || value === '' || value === undefined) continue;
    const text = value === null ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    table.append(el('tr', {}, el('th', {}, name), el('td', { class: 'mono' }, text, copyButton(text))));
  }
  return table;
}

export class DetailPanel {
  private token = 0;

  constructor(private readonly root: HTMLElement) {}

  close(): void {
    this.root.classList.add('hidden');
    mount(this.root);
  }

  isOpen(): boolean {
    return !this.root.classList.contains('hidden');
  }

  /** Shows the node's fields; for an observed process, loads its raw events. */
  show(node: NodeSingular, links: { lineage?: (key: string, deviceId: string) => string } = {}): void {
    const data = node.data() as Record<string, unknown>;
    const token = ++this.token;
    this.root.classList.remove('hidden');
    const close = el('button', { class: 'btn', type: 'button', title: 'close (Escape)' }, 'close');
    close.addEventListener('click', () => this.close());
    const commandLine = typeof data.commandLine === 'string' && data.commandLine !== '' ? data.commandLine : null;
    const lineageLink = data.kind === 'process' && links.lineage && typeof data.deviceId === 'string'
      ? el('a', { href: links.lineage(String(data.id), data.deviceId) }, 'open in the lineage browser') : null;
    const events = el('div', {}, data.kind === 'process' && data.observed ? el('p', { class: 'muted' }, 'loading raw events…') : el('p', { class: 'muted' }, 'no creation event of this process in the store'));
    mount(this.root,
      el('div', { class: 'toolbar' }, el('span', { class: 'title' }, String(data.label ?? data.id)), close),
      data.role ? el('p', {}, el('span', { class: 'badge lineage' }, `matched: ${String(data.role)}`)) : null,
      commandLine ? el('h3', {}, 'command line') : null,
      commandLine ? el('pre', { class: 'cmd mono', 'data-testid': 'command-line' }, commandLine) : null,
      commandLine ? copyButton(commandLine, 'copy command line') : null,
      lineageLink,
      el('h3', {}, 'fields'),
      fieldRows({ id: data.id, kind: data.kind, time: data.time, ...data }),
      data.kind === 'process' ? el('h3', {}, 'raw events') : null,
      data.kind === 'process' ? events : null,
    );
    if (data.kind === 'process' && data.observed) {
      api.process(String(data.id)).then((detail) => {
        if (token !== this.token) return;
        mount(events, ...detail.events.map((event) => {
          const json = JSON.stringify(event.columns, null, 2);
          return el('div', {}, el('div', {}, el('span', { class: 'badge' }, `${event.relation} · ${event.table} #${event.eventId}`), copyButton(json)), el('pre', { class: 'raw mono' }, json));
        }), detail.truncated ? el('p', { class: 'muted' }, 'more events exist than shown') : null);
      }, (error: Error) => { if (token === this.token) mount(events, el('p', { class: 'muted' }, error.message)); });
    }
  }
}
