// Entry point of the `lineage` command (bundled to dist/cli.js).
import { processIo, runCli } from './cli';

process.exitCode = await runCli(process.argv.slice(2), processIo());
