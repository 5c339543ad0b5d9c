// A plain-text table for the terminal: columns sized to their content, long cells cut with an ellipsis, line breaks
// flattened and other control characters shown as escapes (cells hold text from logs).
import { terminalSafe } from './terminal-text';

/** `rows` under `headers`, each cell but the last column's at most `maxWidth` characters. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, maxWidth = 48): string {
  const last = headers.length - 1;
  const cut = (text: string, column: number): string => {
    const flat = terminalSafe(text.replace(/[\r\n\t]+/g, ' '));
    return column !== last && flat.length > maxWidth ? `${flat.slice(0, maxWidth - 1)}…` : flat;
  };
  const cells = [headers.map(cut), ...rows.map((row) => row.map(cut))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(cells[0] as string[]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
