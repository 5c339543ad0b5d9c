// The input formats by name, in the domain layer so that the command line lists them without loading the parsers.
export const FORMAT_NAMES = ['mde-ndjson', 'mde-stream', 'mde-api-json', 'mde-csv', 'windows-events'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];
