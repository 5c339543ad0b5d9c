// The graph as the HTTP API and the web UI exchange it: plain JSON nodes and edges, ready for Cytoscape.

export type GraphNodeKind = 'process' | 'connection' | 'remote' | 'boot' | 'more';

export interface GraphNodeDto {
  id: string;
  kind: GraphNodeKind;
  label: string;
  /** Kusto-form time of the node (process start, connection, boot). */
  time: string | null;
  /** On the matched path of an alert. */
  matched: boolean;
  /** What role the node plays in an alert (rpcssConnection, comServer, ...), if any. */
  role?: string;
  /** Process fields, connection fields, or for a 'more' node the number left out. */
  data: Record<string, string | number | boolean | null>;
}

export interface GraphEdgeDto {
  id: string;
  source: string;
  target: string;
  kind: 'spawned' | 'connection' | 'remote' | 'correlated' | 'more';
  label: string;
  matched: boolean;
}

export interface GraphDto {
  nodes: GraphNodeDto[];
  edges: GraphEdgeDto[];
  truncated: boolean;
}
