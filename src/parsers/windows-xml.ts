// Windows events as XML, one `<Event xmlns=...>...</Event>` each: what `wevtutil qe LOG /f:xml` prints (attributes in
// single quotes, events back to back) and Event Viewer's "Save as XML" (an `<Events>` root, double quotes). The event
// schema is fixed, so the few System elements Lineage reads and the named `<Data>` of EventData are picked out with
// regular expressions over one event's text; windows-record normalises them as every other shape.
import type { ParseOutcome } from '../domain';
import type { ParserContext } from './parse-mde-row-object';
import { normalizeWindowsRecord, sourceOfChannel, unreadRecordSkip, type Fields } from './windows-record';

const PROVIDER = /<Provider\s[^>]*?Name=(['"])([^'"<>]*)\1/;
const EVENT_ID = /<EventID(?:\s[^>]*)?>\s*(\d+)\s*<\/EventID>/;
const TIME_CREATED = /<TimeCreated\s[^>]*?SystemTime=(['"])([^'"<>]*)\1/;
const RECORD_ID = /<EventRecordID>\s*(\d+)\s*<\/EventRecordID>/;
const CHANNEL = /<Channel>([^<]*)<\/Channel>/;
const COMPUTER = /<Computer>([^<]*)<\/Computer>/;
/**
 * `<Data Name='X'>value</Data>` or `<Data Name='X'/>` (an empty value). No part may run past a quote or `<` (which
 * XML text escapes): every attempt stops at the next tag, so a hostile event cannot make matching quadratic.
 */
const DATA = /<Data\s+Name=(['"])([^'"<>]*)\1\s*(?:\/>|>([^<]*)<\/Data>)/g;
const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML text with its character references and the five named entities resolved. */
function xmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (_all, hex: string | undefined, decimal: string | undefined, name: string | undefined) =>
    (name ? NAMED[name] as string : String.fromCodePoint(Number.parseInt(hex ?? decimal ?? '0', hex ? 16 : 10))));
}

/** A file of events: an optional declaration and root (with or without attributes, comments between), then an event. */
const XML_EVENTS_HEAD = /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<Events(\s[^>]*)?>\s*)?<Event[\s>]/;

/** The text between the first `open` and the `close` after it ('' when either is missing): found, not matched, so linear. */
function between(text: string, open: string, close: string): string {
  const start = text.indexOf(open);
  if (start < 0) return '';
  const end = text.indexOf(close, start + open.length);
  return end < 0 ? '' : text.slice(start + open.length, end);
}

/** Whether `head` (a file's first bytes, as text) is Windows events as XML. */
export function isWindowsXml(head: string): boolean {
  return XML_EVENTS_HEAD.test(head);
}

/** Parses one event's XML text (`<Event ...>...</Event>`); `position` is its place in the file. */
export function parseWindowsXmlEvent(text: string, position: number, ctx: ParserContext): ParseOutcome[] {
  const id = EVENT_ID.exec(text);
  if (!text.includes('<System>') || !id) {
    return [{ issue: { file: ctx.file, line: position, message: 'not a Windows event: no <System> with an <EventID>', raw: text } }];
  }
  const channel = xmlText(CHANNEL.exec(text)?.[1] ?? '');
  const source = sourceOfChannel(channel || xmlText(PROVIDER.exec(text)?.[2] ?? ''));
  const eventId = Number(id[1]);
  // Most of a Security log is records Lineage does not read (logons): their data is not picked out, nor kept.
  const skip = unreadRecordSkip({ source, channel, eventId });
  if (skip !== null) return [{ skipped: skip }];
  const data: Fields = {};
  const eventData = between(text, '<EventData>', '</EventData>');
  DATA.lastIndex = 0;
  for (let match = DATA.exec(eventData); match; match = DATA.exec(eventData)) {
    data[xmlText(match[2] as string)] = xmlText(match[3] ?? '');
  }
  // Stored as JSON like every record's columns, the event's XML kept whole in it.
  const raw = JSON.stringify({ EventXml: text });
  return normalizeWindowsRecord({
    source, channel, eventId,
    host: xmlText(COMPUTER.exec(text)?.[1] ?? ''), recordId: RECORD_ID.exec(text)?.[1] ?? '', data,
    time: TIME_CREATED.exec(text)?.[2] ?? '', timeZone: 'utc',
  }, position, ctx, raw);
}
