// The one error vocabulary of Lineage: every error carries a stable `code` that callers and tests rely on.
// Messages start with the operation that failed (`ingest.csv: line 12: ...`).

/** Base class of every error Lineage raises on purpose. */
export class LineageError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** A thing asked for by key or id does not exist. */
export class NotFound extends LineageError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('not_found', message, details);
  }
}

/** A caller-supplied value (CLI flag, HTTP parameter, config file) is not acceptable. */
export class InvalidInput extends LineageError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_input', message, details);
  }
}

/** Input data could not be read at a known place (file and line). */
export class ParseError extends LineageError {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, message: string) {
    super('parse_error', `${file}:${line}: ${message}`, { file, line });
    this.file = file;
    this.line = line;
  }
}

/** The store's files disagree with each other (a column log truncated, replaced or missing): not the caller's doing. */
export class StoreDamaged extends LineageError {
  constructor(message: string) {
    super('store_damaged', message);
  }
}

/** A file whose format none of the parsers recognises. */
export class UnknownFormat extends LineageError {
  /** `hint`: what the file looks like instead, and what to do with it. */
  constructor(file: string, tried: readonly string[], hint?: string) {
    super('unknown_format', `ingest: ${file}: not a recognised format (tried: ${tried.join(', ')})${hint ? `: ${hint}` : ''}`, { file, tried });
  }
}
