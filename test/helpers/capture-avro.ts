// Writes Event Hubs Capture files as the Capture feature does: an Avro object container of EventData records, each
// Body one message. The schema is the one Capture writes (its header names it), used here to make test inputs.
import { PassThrough } from 'node:stream';
import avsc, { type Schema } from 'avsc';

export const CAPTURE_SCHEMA = {
  type: 'record', name: 'EventData', namespace: 'Microsoft.ServiceBus.Messaging',
  fields: [
    { name: 'SequenceNumber', type: 'long' },
    { name: 'Offset', type: 'string' },
    { name: 'EnqueuedTimeUtc', type: 'string' },
    { name: 'SystemProperties', type: { type: 'map', values: ['long', 'double', 'string', 'bytes'] } },
    { name: 'Properties', type: { type: 'map', values: ['long', 'double', 'string', 'bytes', 'null'] } },
    { name: 'Body', type: ['null', 'bytes'] },
  ],
};

/** A Capture file holding `bodies` (null: a message without a body), in blocks of `blockSize` bytes. */
export async function captureFile(bodies: ReadonlyArray<Buffer | string | null>,
  options: { codec?: 'null' | 'deflate'; blockSize?: number; schema?: Schema } = {}): Promise<Buffer> {
  const encoder = new avsc.streams.BlockEncoder(options.schema ?? CAPTURE_SCHEMA as Schema, { codec: options.codec ?? 'null', blockSize: options.blockSize ?? 65536 });
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise((resolve) => out.on('end', resolve));
  encoder.pipe(out);
  bodies.forEach((body, i) => encoder.write(options.schema ? body : {
    SequenceNumber: i, Offset: String(i * 1000), EnqueuedTimeUtc: '5/6/2024 12:00:00 AM', SystemProperties: {}, Properties: {},
    Body: body === null ? null : Buffer.from(body),
  }));
  encoder.end();
  await done;
  return Buffer.concat(parts);
}
