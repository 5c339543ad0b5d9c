// The local-time offset of a log collector that writes zone-less local times (NXLog's EventTime, the December-2020
// OTRF shape's TimeCreated that says Z but is local). Learned from the records that carry both Sysmon's UtcTime and
// the collector's time, rounded to a quarter hour, by vote: settled once one offset has SETTLE_VOTES votes, or at the
// end of the file on whatever votes there are. Once settled it never changes, so one file reads one way.
import { TICKS_PER_SECOND, type Ticks } from '../domain';

const QUARTER_HOUR_TICKS = 15n * 60n * TICKS_PER_SECOND;
const SETTLE_VOTES = 3;

export class CollectorClock {
  private readonly votes = new Map<number, number>();
  private settled: number | null = null;
  private finished = false;

  /** Records one pair of times for the same event: the collector's local reading and UTC. */
  vote(localTicks: Ticks, utcTicks: Ticks): void {
    if (this.settled !== null || this.finished) return;
    const diff = localTicks - utcTicks;
    const quarters = Number((diff + (diff < 0n ? -QUARTER_HOUR_TICKS : QUARTER_HOUR_TICKS) / 2n) / QUARTER_HOUR_TICKS);
    const minutes = quarters * 15;
    const count = (this.votes.get(minutes) ?? 0) + 1;
    this.votes.set(minutes, count);
    if (count >= SETTLE_VOTES) this.settled = minutes;
  }

  /** Minutes the collector's clock is ahead of UTC; null while unknown. */
  offsetMinutes(): number | null {
    return this.settled;
  }

  /** Whether asking again later can still give an answer. */
  canLearnMore(): boolean {
    return this.settled === null && !this.finished;
  }

  /** The end of the input: settle on the leading offset, if any vote was cast. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.settled !== null) return;
    let best: [number, number] | null = null;
    for (const entry of this.votes) if (!best || entry[1] > best[1]) best = entry;
    this.settled = best ? best[0] : null;
  }
}
