// Public face of the domain layer: types, keys, time and errors shared by every other layer.
export * from './errors';
export * from './ticks';
export * from './format-ticks';
export * from './parse-time';
export * from './events';
export * from './format-names';
export * from './keys';
export * from './ingest-sink';
export * from './stored';
export * from './graph-dto';
export * from './append-to';
export * from './with-fields';
export * from './event-row';
export * from './time-zone';
