// A record read across chunks (a line, a JSON array item, an XML event): its parts are kept as they come and joined once when
// it ends; past the size limit only its first bytes and its length are kept, so no record is ever held whole.
import { OVERLONG_HEAD_BYTES, type OverlongLine } from './line-batches';

export class HeldRecord {
  private parts: Buffer[] = [];
  private held = 0;
  private skipped: { head: Buffer; bytes: number } | null = null;

  constructor(private readonly maxBytes: number) {}

  /** Keeps `part`, the record's next bytes. */
  hold(part: Buffer): void {
    if (this.skipped) {
      // The head is the record's first bytes, whatever the limit: filled up from the parts that follow the cut.
      const { head } = this.skipped;
      if (head.length < OVERLONG_HEAD_BYTES) this.skipped.head = Buffer.concat([head, part], Math.min(head.length + part.length, OVERLONG_HEAD_BYTES));
      this.skipped.bytes += part.length;
      return;
    }
    this.parts.push(part);
    this.held += part.length;
    if (this.held > this.maxBytes) {
      this.skipped = { head: Buffer.concat(this.parts, Math.min(this.held, OVERLONG_HEAD_BYTES)), bytes: this.held };
      this.parts = [];
      this.held = 0;
    }
  }

  /** Whether any of a record is held. */
  get holding(): boolean {
    return this.skipped !== null || this.parts.length > 0;
  }

  /**
   * Ends the record with `last`, its final bytes: all its bytes (joined once; `last` itself when nothing was held),
   * or (over the limit) what is reported of it, as record `line`. Then holds nothing.
   */
  finish(last: Buffer, line: number): { bytes: Buffer } | { overlong: OverlongLine } {
    const length = (this.skipped?.bytes ?? this.held) + last.length;
    let record: { bytes: Buffer } | { overlong: OverlongLine };
    if (this.skipped || length > this.maxBytes) {
      const first = this.skipped ? [this.skipped.head, last] : [...this.parts, last];
      const head = Buffer.concat(first, Math.min(first.reduce((n, b) => n + b.length, 0), OVERLONG_HEAD_BYTES));
      record = { overlong: { line, bytes: length, head: head.toString('utf8') } };
    } else {
      record = { bytes: this.parts.length === 0 ? last : Buffer.concat([...this.parts, last]) };
    }
    this.parts = [];
    this.held = 0;
    this.skipped = null;
    return record;
  }

  /** The bytes held, as text; null when they were over the limit. */
  heldText(): string | null {
    return this.skipped ? null : Buffer.concat(this.parts).toString('utf8');
  }
}
