// Splits one CSV record (RFC 4180: quoted cells, doubled quotes, newlines inside quotes) into its cells.
// Records are framed by the ingest layer, which joins lines while a quote is open (see csvQuoteOpen).
// The separator is a comma, or what the file's header uses: a semicolon (Excel where the decimal mark is a comma)
// or a tab (TSV); see csvSeparator.

/** A separator: a comma, semicolon or tab. */
export type CsvSeparator = ',' | ';' | '\t';

/** Windows PowerShell's Export-Csv opens with the exported objects' type (`#TYPE System.Management...`). */
const POWERSHELL_TYPE_LINE = /^\uFEFF?#TYPE\s/;

/** Whether `line` is the `#TYPE` line Windows PowerShell's Export-Csv writes before the header. */
export function isPowerShellTypeLine(line: string): boolean {
  return POWERSHELL_TYPE_LINE.test(line);
}

/** Excel's first line naming the separator (`sep=;`), which comes before the header. */
const EXCEL_SEPARATOR_LINE = /^\uFEFF?sep=(.)\r?$/;

/** The separator an Excel `sep=X` line names, or null when `line` is not one (or names another character). */
export function excelSeparatorLine(line: string): CsvSeparator | null {
  const named = EXCEL_SEPARATOR_LINE.exec(line)?.[1];
  return named === ',' || named === ';' || named === '\t' ? named : null;
}

/**
 * The separator of a header row: whichever of comma, semicolon and tab it holds most of outside quotes (a comma
 * when none). Column names never hold them, so the header says which one the rows use.
 */
export function csvSeparator(header: string): CsvSeparator {
  let commas = 0;
  let semicolons = 0;
  let tabs = 0;
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 44) commas++;
    else if (c === 59) semicolons++;
    else if (c === 9) tabs++;
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  return tabs > commas ? '\t' : ',';
}

/**
 * Cells of a complete record, or the reason it is malformed. Trailing CR of the record is ignored. `separator` is
 * what stands between cells.
 */
export function splitCsvRecord(record: string, separator: CsvSeparator = ','): { cells: string[] } | { error: string } {
  const separatorCode = separator.charCodeAt(0);
  const cells: string[] = [];
  const end = record.endsWith('\r') ? record.length - 1 : record.length;
  let i = 0;
  for (;;) {
    if (record.charCodeAt(i) === 34) { // '"': a quoted cell
      let cell = '';
      let from = i + 1;
      for (;;) {
        const quote = record.indexOf('"', from);
        if (quote < 0 || quote >= end) return { error: `unterminated quote in cell ${cells.length + 1}` };
        cell += record.slice(from, quote);
        if (record.charCodeAt(quote + 1) === 34) {
          cell += '"';
          from = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      cells.push(cell);
      if (i >= end) return { cells };
      if (record.charCodeAt(i) !== separatorCode) return { error: `text after the closing quote of cell ${cells.length}` };
      i++;
    } else {
      let next = record.indexOf(separator, i);
      if (next < 0 || next > end) next = end;
      const cell = record.slice(i, next);
      if (cell.includes('"')) return { error: `quote inside unquoted cell ${cells.length + 1}` };
      cells.push(cell);
      if (next >= end) return { cells };
      i = next + 1;
    }
    if (i === end) {
      cells.push('');
      return { cells };
    }
  }
}

/**
 * Whether a record continues past the end of `text` (a quoted cell is still open), given whether a quoted cell
 * was open when `text` began (cells separated by `separator`). A quote opens a cell only at the cell's start, so a
 * stray quote elsewhere cannot swallow the rest of the file: that record ends at its line and the splitter reports it.
 */
export function csvQuoteOpen(text: string, openBefore: boolean, separator: CsvSeparator = ','): boolean {
  const separatorCode = separator.charCodeAt(0);
  let inQuoted = openBefore;
  let cellStart = !openBefore;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inQuoted) {
      if (c !== 34) continue;
      if (text.charCodeAt(i + 1) === 34) i++; // a doubled quote stands for one quote
      else inQuoted = false;
    } else if (c === separatorCode) {
      cellStart = true;
    } else {
      if (c === 34 && cellStart) inQuoted = true;
      cellStart = false;
    }
  }
  return inQuoted;
}
