// Renders ticks in Kusto's datetime form, `yyyy-MM-ddTHH:mm:ss.fffffffZ`, exactly (7 fractional digits).
import { civilFromDays, floorDiv, TICKS_PER_SECOND, type Ticks } from './ticks';

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/** Kusto's canonical text of a tick count. */
export function formatTicks(ticks: Ticks): string {
  const seconds = floorDiv(ticks, TICKS_PER_SECOND);
  const fraction = Number(ticks - seconds * TICKS_PER_SECOND);
  const secs = Number(seconds);
  const days = Math.floor(secs / 86400);
  const secOfDay = secs - days * 86400;
  const { year, month, day } = civilFromDays(days);
  const hh = Math.floor(secOfDay / 3600);
  const mm = Math.floor((secOfDay % 3600) / 60);
  const ss = secOfDay % 60;
  const yyyy = String(year).padStart(4, '0');
  return `${yyyy}-${pad2(month)}-${pad2(day)}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}.${String(fraction).padStart(7, '0')}Z`;
}
