// OTRF Security-Datasets records: one flat JSON object per event as NXLog im_msvistalog and Logstash wrote them
// (EventTime local, no zone; `Hostname`; `RecordNumber`), or the December-2020 shape (TimeCreated ending in Z that
// is really the collector's local time). EventData fields sit at the top level next to the System ones.
import { sourceOfChannel, text, type Fields, type WindowsRecord } from './windows-record';

/** Whether `value` is a flat OTRF/NXLog event record. */
export function isOtrfRecord(value: Fields): boolean {
  return 'EventID' in value && !('EventData' in value) && ('Channel' in value || 'SourceName' in value);
}

export function otrfRecord(value: Fields): WindowsRecord {
  const channel = text(value.Channel ?? value.SourceName);
  const id = Number(text(value.EventID));
  return {
    source: sourceOfChannel(text(value.Channel ?? value.SourceName ?? value.ProviderName)),
    channel,
    eventId: Number.isSafeInteger(id) ? id : null,
    host: text(value.Computer ?? value.Hostname),
    recordId: text(value.EventRecordID ?? value.RecordNumber),
    data: value,
    // `@timestamp` is when the pipeline ingested the event (seconds later): never the event time.
    time: text(value.EventTime ?? value.TimeCreated),
    timeZone: 'collector',
  };
}
