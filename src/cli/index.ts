// Public face of the CLI layer.
export { runCli } from './run-cli';
export { processIo, type CliIo } from './cli-io';
