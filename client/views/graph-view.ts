// The Cytoscape canvas: a left-to-right tree (dagre), node style by kind, the matched path highlighted, keyboard
// navigation, expand/collapse hooks, PNG and JSON export. Labels are canvas text: nothing here is HTML.
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import type { GraphDto } from '../api';
import { download } from '../dom';

cytoscape.use(dagre);

const STYLE: cytoscape.StylesheetJson = [
  { selector: 'node', style: { label: 'data(label)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 4, 'text-wrap': 'ellipsis', 'text-max-width': '170px', color: '#1d232b', width: 22, height: 22, 'border-width': 1, 'border-color': '#fff' } },
  { selector: 'node[kind = "process"]', style: { shape: 'round-rectangle', 'background-color': '#1f5fa8', width: 30, height: 20 } },
  { selector: 'node[kind = "connection"]', style: { shape: 'diamond', 'background-color': '#d9822b' } },
  { selector: 'node[kind = "remote"]', style: { shape: 'ellipse', 'background-color': '#7b1fa2', width: 26, height: 26 } },
  { selector: 'node[kind = "boot"]', style: { shape: 'tag', 'background-color': '#90a4ae' } },
  { selector: 'node[kind = "more"]', style: { shape: 'round-rectangle', 'background-color': '#eceff1', 'border-style': 'dashed', 'border-color': '#90a4ae', 'border-width': 1, width: 40, height: 18, 'text-valign': 'center', 'text-margin-y': 0 } },
  { selector: 'node[?matched]', style: { 'border-width': 4, 'border-color': '#c62828', 'font-weight': 'bold' } },
  { selector: 'node:selected', style: { 'overlay-color': '#1f5fa8', 'overlay-opacity': 0.25, 'overlay-padding': 6 } },
  { selector: 'edge', style: { width: 1.5, 'line-color': '#b0bac6', 'target-arrow-color': '#b0bac6', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier', 'font-size': 9, label: 'data(label)', color: '#687382', 'text-background-color': '#fbfcfd', 'text-background-opacity': 1 } },
  { selector: 'edge[?matched]', style: { width: 3, 'line-color': '#c62828', 'target-arrow-color': '#c62828', color: '#c62828' } },
  { selector: 'edge[kind = "correlated"]', style: { 'line-style': 'dashed', 'font-weight': 'bold', 'font-size': 11 } },
  { selector: 'edge[kind = "more"]', style: { 'line-style': 'dotted' } },
];

export interface GraphViewHooks {
  onSelect(node: NodeSingular | null): void;
  onOpen(node: NodeSingular): void;
  onClose(): void;
  onExpand?(node: NodeSingular): void;
}

/** `parent` is Cytoscape's compound-node field: a data field of that name would draw the node inside another one. */
function withoutCompound(data: Record<string, unknown> | undefined): Record<string, unknown> {
  const { parent: _compound, ...rest } = data ?? {};
  return rest;
}

function elements(dto: GraphDto): ElementDefinition[] {
  return [
    ...dto.nodes.map((n) => ({ group: 'nodes' as const, data: { ...withoutCompound(n.data), id: n.id, kind: n.kind, label: n.label, time: n.time, matched: n.matched, role: n.role ?? '' } })),
    ...dto.edges.map((e) => ({ group: 'edges' as const, data: { id: e.id, source: e.source, target: e.target, kind: e.kind, label: e.label, matched: e.matched } })),
  ];
}

export class GraphView {
  readonly cy: Core;

  constructor(private readonly container: HTMLElement, private readonly hooks: GraphViewHooks) {
    this.cy = cytoscape({ container, style: STYLE, minZoom: 0.05, maxZoom: 4 });
    this.cy.on('tap', () => container.focus());
    this.cy.on('tap', 'node', (event) => { this.select(event.target as NodeSingular); });
    this.cy.on('tap', (event) => { if (event.target === this.cy) this.select(null); });
    this.cy.on('dbltap', 'node', (event) => { this.hooks.onExpand?.(event.target as NodeSingular); });
    container.addEventListener('keydown', (event) => this.onKey(event));
    // The canvas must know its box: panels opening and lists loading resize it, and stale offsets misplace clicks.
    new ResizeObserver(() => this.cy.resize()).observe(container);
  }

  /** Replaces the picture. */
  show(dto: GraphDto, focus: string | null = null): void {
    this.cy.elements().remove();
    this.cy.add(elements(dto));
    this.layout();
    const preferred = this.cy.nodes('[role = "comServer"]').nonempty() ? this.cy.nodes('[role = "comServer"]') : this.cy.nodes('[?matched]');
    const start = (focus && this.cy.getElementById(focus).nonempty() ? this.cy.getElementById(focus) : preferred.first()) as NodeSingular;
    if (start && start.nonempty()) this.select(start, false);
  }

  /** Adds nodes and edges not there yet. */
  merge(dto: GraphDto): void {
    const fresh = elements(dto).filter((e) => this.cy.getElementById(String(e.data.id)).empty());
    this.cy.add(fresh.filter((e) => e.group === 'nodes'));
    const exists = (id: unknown): boolean => this.cy.getElementById(String(id)).nonempty();
    this.cy.add(fresh.filter((e) => e.group === 'edges' && exists(e.data.source) && exists(e.data.target)));
    this.layout();
  }

  /** Removes what hangs below `id` (its descendants). */
  collapse(id: string): void {
    this.cy.getElementById(id).successors().remove();
    this.layout();
  }

  hasChildrenShown(id: string): boolean {
    return this.cy.getElementById(id).outgoers('node').nonempty();
  }

  selected(): NodeSingular | null {
    const node = this.cy.nodes(':selected').first();
    return node.nonempty() ? (node as NodeSingular) : null;
  }

  select(node: NodeSingular | null, notify = true): void {
    this.cy.nodes(':selected').unselect();
    if (node) node.select();
    if (notify) this.hooks.onSelect(node);
  }

  private layout(): void {
    this.cy.resize();
    this.cy.layout({ name: 'dagre', rankDir: 'LR', nodeSep: 18, rankSep: 70, edgeSep: 8, animate: false } as cytoscape.LayoutOptions).run();
    this.cy.fit(undefined, 30);
  }

  private onKey(event: KeyboardEvent): void {
    const current = this.selected();
    if (event.key === 'Escape') {
      this.hooks.onClose();
      return;
    }
    if (event.key === 'Enter' && current) {
      this.hooks.onOpen(current);
      return;
    }
    const direction = ({ ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] } as Record<string, [number, number]>)[event.key];
    if (!direction) return;
    event.preventDefault();
    if (!current) {
      this.select(this.cy.nodes().first() as NodeSingular);
      return;
    }
    const from = current.position();
    let best: NodeSingular | null = null;
    let bestScore = Infinity;
    this.cy.nodes().forEach((node) => {
      if (node.same(current)) return;
      const dx = node.position().x - from.x;
      const dy = node.position().y - from.y;
      const along = dx * direction[0] + dy * direction[1];
      if (along <= 0) return;
      const across = Math.abs(dx * direction[1]) + Math.abs(dy * direction[0]);
      const score = along + 2 * across;
      if (score < bestScore) {
        bestScore = score;
        best = node as NodeSingular;
      }
    });
    if (best) {
      this.select(best);
      this.cy.animate({ center: { eles: best }, duration: 0 });
    }
  }

  exportPng(name: string): void {
    const blob = this.cy.png({ output: 'blob', bg: '#ffffff', full: true, scale: 2 }) as unknown as Blob;
    download(`${name}.png`, blob);
  }

  exportJson(name: string): void {
    const json = JSON.stringify({ nodes: this.cy.nodes().map((n) => n.data()), edges: this.cy.edges().map((e) => e.data()) }, null, 2);
    download(`${name}.json`, new Blob([json], { type: 'application/json' }));
  }

  focusCanvas(): void {
    this.container.focus();
  }
}
