// EVTX records converted to JSON lines. The converters in use:
// - python-evtx style (the corpus `.jsonl` files): System fields flattened (`EventID`, `TimeCreated` as UTC
//   `YYYY-MM-DD HH:MM:SS.ffffff` without a zone, `Computer`, `Channel`, `EventRecordID`) plus an `EventData` object;
// - `evtx_dump -o jsonl` (the Rust `evtx` crate): `{"Event":{"System":{...},"EventData":{...}}}`, attributes under
//   `#attributes` (`TimeCreated.#attributes.SystemTime`, `Provider.#attributes.Name`) and `EventID` either a number
//   or `{"#text": n}`;
// - Go converters (golang-evtx's evtxdump, fox): the same nesting with attributes as plain keys (`Provider.Name`,
//   `TimeCreated.SystemTime`, `EventID` as text or `{"Value": n, "Qualifiers": q}`);
// - Velociraptor's `parse_evtx()` rows: `System` and `EventData` at the top level (no `Event`), `EventID.Value`, and
//   `TimeCreated.SystemTime` as seconds since the epoch (a float: kept to the microsecond, all a double holds here);
//   its event log artifacts flatten System as python-evtx does, with the time as `EventTime`.
import { formatTicks, TICKS_PER_SECOND } from '../domain';
import { fieldsOf, sourceOfChannel, text, type Fields, type WindowsRecord } from './windows-record';

/** A time text that ends in its zone (`Z`, `+02:00`). */
const ZONED_TIME = /(Z|[+-]\d\d:?\d\d)$/i;

/** An XML attribute as each converter writes it: `#attributes.Name`, `@Name`, or a plain `Name` key. */
const attribute = (v: unknown, name: string): unknown =>
  fieldsOf(fieldsOf(v)['#attributes'])[name] ?? fieldsOf(v)[`@${name}`] ?? fieldsOf(v)[name];
/** An element's text: `{"#text": t}` (evtx_dump), `{"Value": t}` (Go converters, Velociraptor), or `t` itself. */
const inner = (v: unknown): unknown => (typeof v === 'object' && v !== null ? fieldsOf(v)['#text'] ?? fieldsOf(v).Value : v);

/** `SystemTime` as text: ISO from most converters; seconds since the epoch (a number) from Velociraptor. */
function systemTime(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return text(v);
  const seconds = Math.floor(v);
  // A double near 1.6e9 s resolves about 0.24 us: round to whole microseconds rather than invent 100-ns digits.
  const micros = Math.min(999_999, Math.round((v - seconds) * 1e6));
  return formatTicks(BigInt(seconds) * TICKS_PER_SECOND + BigInt(micros) * 10n);
}

/**
 * EventData as one object of name -> value. Converters that keep the XML's shape write
 * `{"Data": [{"@Name": "UtcTime", "#text": "..."}, ...]}` (or `Name` / `value`); those are flattened.
 */
function eventData(v: unknown): Fields {
  const data = fieldsOf(v);
  const single = fieldsOf(data.Data);
  const items = Array.isArray(data.Data) ? data.Data : '@Name' in single || 'Name' in single ? [single] : null;
  if (!items) return data;
  const flat: Fields = {};
  for (const item of items) {
    const entry = fieldsOf(item);
    const name = entry['@Name'] ?? entry.Name ?? attribute(item, 'Name');
    if (typeof name === 'string') flat[name] = entry['#text'] ?? entry.value ?? entry.Value ?? '';
  }
  return flat;
}

/** Whether `value` is an EVTX record converted to JSON (either converter). */
export function isEvtxJsonRecord(value: Fields): boolean {
  if ('EventID' in value && 'EventData' in value) return true;
  if ('System' in value && ('EventData' in value || 'UserData' in value)) return true; // Velociraptor
  const event = fieldsOf(value.Event);
  return 'System' in event;
}

export function evtxJsonRecord(value: Fields): WindowsRecord {
  if (('Event' in value || 'System' in value) && !('EventID' in value)) {
    const event = 'System' in value ? value : fieldsOf(value.Event);
    const system = fieldsOf(event.System);
    const channel = text(system.Channel);
    const provider = text(attribute(system.Provider, 'Name'));
    const id = Number(text(inner(system.EventID)));
    return {
      source: sourceOfChannel(channel || provider), channel, eventId: Number.isSafeInteger(id) ? id : null,
      host: text(system.Computer), recordId: text(system.EventRecordID),
      data: eventData(event.EventData ?? event.UserData),
      time: systemTime(attribute(system.TimeCreated, 'SystemTime')), timeZone: 'utc',
    };
  }
  const channel = text(value.Channel);
  const id = Number(text(value.EventID));
  // Velociraptor's event log artifacts (Windows.EventLogs.EvtxHunter ...) flatten System the same way but name the
  // time EventTime, in UTC with its zone (whole seconds): read only when it says its zone.
  const eventTime = text(value.EventTime);
  return {
    source: sourceOfChannel(channel || text(value.ProviderName ?? value.Provider)), channel, eventId: Number.isSafeInteger(id) ? id : null,
    host: text(value.Computer), recordId: text(value.EventRecordID),
    data: eventData(value.EventData), time: text(value.TimeCreated) || (ZONED_TIME.test(eventTime) ? eventTime : ''), timeZone: 'utc',
  };
}
