// A record read across chunks (a JSON array item, an XML event): its parts are kept as they come and joined once when
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

  /** Ends the record with `last`, its final bytes: its text, or (over the limit) what is reported of it. Then holds nothing. */
  finish(last: Buffer, line: number): { text: string } | { overlong: OverlongLine } {
    const bytes = (this.skipped?.bytes ?? this.held) + last.length;
    let record: { text: string } | { overlong: OverlongLine };
    if (this.skipped || bytes > this.maxBytes) {
      const head = this.skipped?.head ?? Buffer.concat([...this.parts, last], Math.min(bytes, OVERLONG_HEAD_BYTES));
      record = { overlong: { line, bytes, head: head.toString('utf8') } };
    } else {
      record = { text: (this.parts.length === 0 ? last : Buffer.concat([...this.parts, last])).toString('utf8') };
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
