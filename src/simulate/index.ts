// Public face of the simulator: synthetic MDE telemetry and the writers of every ingestible format.
export { rowWriter, formatRows, WRITER_FORMATS, type WriterFormat, type MdeRow, type RowWriter } from './row-writer';
