// `lineage simulate`: writes a synthetic fleet's telemetry with planted attacks and near misses, plus truth.json.
import { InvalidInput, parseTimeOrDate } from '../domain';
import { ATTACK_KINDS, NEAR_MISS_KINDS, writeSimulation, type WriterFormat } from '../simulate';
import type { CliIo } from './cli-io';
import { EXIT } from './exit-codes';

export const SIMULATE_FORMATS: Record<string, WriterFormat> = {
  ndjson: 'mde-ndjson', 'mde-stream': 'mde-stream', 'api-json': 'mde-api-json', csv: 'mde-csv',
  'mde-eventhub': 'mde-eventhub', 'graph-json': 'mde-graph-json', 'la-json': 'mde-la-json', 'adx-json': 'mde-adx-json',
  'adx2-json': 'mde-adx2-json',
};

export interface SimulateCommandOptions {
  out: string;
  seed: number;
  devices: number;
  hours: number;
  start: string;
  attacks?: number;
  nearMisses?: number;
  rate: number;
  format: string;
  json?: boolean;
}

export function simulateCommand(options: SimulateCommandOptions, io: CliIo): number {
  const start = parseTimeOrDate(options.start);
  if (!start) throw new InvalidInput(`simulate: --start: not a time: ${options.start}`);
  const format = SIMULATE_FORMATS[options.format];
  if (!format) throw new InvalidInput(`simulate: --format: one of ${Object.keys(SIMULATE_FORMATS).join(', ')}`);
  const began = performance.now();
  const summary = writeSimulation(options.out, format, {
    seed: options.seed, devices: options.devices, hours: options.hours, start: start.ticks,
    attacks: options.attacks ?? ATTACK_KINDS.length, nearMisses: options.nearMisses ?? NEAR_MISS_KINDS.length, rate: options.rate,
  });
  const seconds = (performance.now() - began) / 1000;
  const attacks = summary.truth.items.filter((i) => i.malicious).length;
  const report = { files: summary.files, events: summary.events, attacks, nearMisses: summary.truth.items.length - attacks, seconds: Math.round(seconds * 1000) / 1000 };
  if (options.json) io.stdout(`${JSON.stringify(report)}\n`);
  else {
    const total = summary.events.DeviceProcessEvents + summary.events.DeviceNetworkEvents;
    io.stderr(`simulated ${options.devices} devices x ${options.hours} h: ${total.toLocaleString('en-US')} events `
      + `(${summary.events.DeviceProcessEvents.toLocaleString('en-US')} process, ${summary.events.DeviceNetworkEvents.toLocaleString('en-US')} network), `
      + `${attacks} attacks, ${report.nearMisses} near misses, in ${seconds.toFixed(2)} s\n${summary.files.map((f) => `  ${f}`).join('\n')}\n`);
  }
  return EXIT.ok;
}
