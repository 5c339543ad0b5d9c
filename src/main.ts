// Entry point of the `lineage` command (bundled to dist/cli.cjs, a CommonJS file: no top-level await).
import { processIo, runCli } from './cli';

void runCli(process.argv.slice(2), processIo()).then((code) => { process.exitCode = code; });
