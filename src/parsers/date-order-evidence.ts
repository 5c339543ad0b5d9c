// The date order of a file's slashed regional dates (`5/2/2025 9:19`: 5 February in en-GB, 2 May as Excel in en-US
// writes it), learned from the file itself: a row whose first number is over 12 shows the day comes first, one whose
// second is, the month. Settled by the first row that shows it, or left to the form's rule when none does (see
// parseTime); once settled it never changes, so one file reads one way, and a row that then does not fit its order
// is rejected rather than read the other way round.
import type { YearLastOrder } from '../domain';

export class DateOrderEvidence {
  private settled: Exclude<YearLastOrder, 'auto'> | null = null;
  private finished = false;

  /** Records the first two numbers of a slashed date with the year last. */
  see(first: number, second: number): void {
    if (this.settled !== null || this.finished) return;
    if (first > 12 && second <= 12) this.settled = 'day-first';
    else if (second > 12 && first <= 12) this.settled = 'month-first';
  }

  /** The order the file has shown; null while it has shown none. */
  order(): Exclude<YearLastOrder, 'auto'> | null {
    return this.settled;
  }

  /** Whether reading on can still settle it. */
  canLearnMore(): boolean {
    return this.settled === null && !this.finished;
  }

  /** The end of the file (or of waiting for it): rows not yet settled read as their form's rule says. */
  finish(): void {
    this.finished = true;
  }
}
