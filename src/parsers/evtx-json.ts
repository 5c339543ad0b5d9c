// EVTX records converted to JSON lines. Two converters are common:
// - python-evtx style (the corpus `.jsonl` files): System fields flattened (`EventID`, `TimeCreated` as UTC
//   `YYYY-MM-DD HH:MM:SS.ffffff` without a zone, `Computer`, `Channel`, `EventRecordID`) plus an `EventData` object;
// - `evtx_dump -o jsonl` (the Rust `evtx` crate): `{"Event":{"System":{...},"EventData":{...}}}`, attributes under
//   `#attributes` (`TimeCreated.#attributes.SystemTime`, `Provider.#attributes.Name`) and `EventID` either a number
//   or `{"#text": n}`.
import { fieldsOf, sourceOfChannel, text, type Fields, type WindowsRecord } from './windows-record';

const attribute = (v: unknown, name: string): unknown => fieldsOf(fieldsOf(v)['#attributes'])[name];
const inner = (v: unknown): unknown => (typeof v === 'object' && v !== null ? fieldsOf(v)['#text'] : v);

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
  const event = fieldsOf(value.Event);
  return 'System' in event;
}

export function evtxJsonRecord(value: Fields): WindowsRecord {
  if ('Event' in value && !('EventID' in value)) {
    const event = fieldsOf(value.Event);
    const system = fieldsOf(event.System);
    const channel = text(system.Channel);
    const provider = text(attribute(system.Provider, 'Name') ?? fieldsOf(system.Provider)['@Name']);
    const id = Number(text(inner(system.EventID)));
    return {
      source: sourceOfChannel(channel || provider), channel, eventId: Number.isSafeInteger(id) ? id : null,
      host: text(system.Computer), recordId: text(system.EventRecordID),
      data: eventData(event.EventData ?? event.UserData),
      time: text(attribute(system.TimeCreated, 'SystemTime') ?? fieldsOf(system.TimeCreated)['@SystemTime']), timeZone: 'utc',
    };
  }
  const channel = text(value.Channel);
  const id = Number(text(value.EventID));
  return {
    source: sourceOfChannel(channel || text(value.ProviderName)), channel, eventId: Number.isSafeInteger(id) ? id : null,
    host: text(value.Computer), recordId: text(value.EventRecordID),
    data: eventData(value.EventData), time: text(value.TimeCreated), timeZone: 'utc',
  };
}
