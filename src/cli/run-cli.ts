// The lineage command line: parses arguments with commander and dispatches to one command module each.
import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { FORMAT_NAMES, isTimeZone, LineageError, TABLE_NAMES, TIME_ZONE_EXPECTED, YEAR_LAST_ORDERS } from '../domain';
import type { CliIo } from './cli-io';
import { defaultDbPath } from './default-db-path';
import { EXIT } from './exit-codes';
import { terminalSafe } from './terminal-text';

/** An option's parser for a whole number in [min, max], written in digits only ('1e3', '' and '1.5' are refused). */
function wholeNumber(name: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number ${range}`);
    return n;
  };
}

/** An IANA time zone Node knows (`Europe/London`). */
function timeZone(value: string): string {
  if (!isTimeZone(value)) throw new InvalidArgumentError(`--time-zone: not a time zone: ${JSON.stringify(value)} (${TIME_ZONE_EXPECTED})`);
  return value;
}

// Each command's module (and the packages it needs: express for serve, the simulator, ...) loads only when that
// command runs: the bundle is split per command, so `lineage detect` does not pay for the HTTP server's start-up.
const SIMULATE_FORMAT_NAMES = ['ndjson', 'mde-stream', 'api-json', 'csv', 'mde-eventhub', 'graph-json', 'la-json', 'adx-json', 'adx2-json'];

/** Runs `lineage <argv>` and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('lineage')
    .description('Process-lineage analyzer: ingest endpoint telemetry, build provenance graphs, detect DCOM lateral movement.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run lineage --help for usage)');
  const dbOption = (): Option => new Option('--db <file>', 'the store (SQLite)').default(defaultDbPath(io.env));

  program.command('ingest')
    .description('read MDE DeviceProcessEvents / DeviceNetworkEvents and Sysmon / Windows Security logs (.evtx, XML or JSON) into the store')
    .argument('<paths...>', 'files, folders (recursed), .gz, .zip and .tar(.gz) files, or - for stdin')
    .addOption(dbOption())
    .addOption(new Option('--format <name>', 'input format').choices(['auto', ...FORMAT_NAMES]).default('auto'))
    .addOption(new Option('--table <name>', 'table of every row, when the input does not say').choices([...TABLE_NAMES]))
    .addOption(new Option('--date-order <order>', 'how regional dates with the year last read (auto: as a CSV file\'s rows show, else as the form says)')
      .choices([...YEAR_LAST_ORDERS]).default('auto'))
    .addOption(new Option('--time-zone <zone>', 'the IANA time zone of a CSV export\'s local times (TimeGenerated [Local Time])').argParser(timeZone))
    .option('--strict', 'exit with code 3 if any record was rejected')
    .option('--json', 'print the summary as one JSON object on stdout')
    .addOption(new Option('--workers <n>', 'parse worker threads (0: parse on the main thread)').argParser(wholeNumber('--workers', 0, 16))
      .default(Math.min(availableParallelism(), 4), 'one per core, at most 4'))
    .addOption(new Option('--nice <n>', 'run at this CPU niceness at least (0-19): a server or the UI on this machine stays responsive')
      .argParser(wholeNumber('--nice', 0, 19)).default(10))
    .action(async (paths: string[], options) => {
      const { ingestCommand } = await import('./ingest-command');
      exitCode = await ingestCommand(paths, options, io, ['ingest', ...paths].join(' '));
    });

  program.command('simulate')
    .description('write a synthetic fleet\'s MDE telemetry with planted DCOM attacks and near misses, plus truth.json')
    .requiredOption('--out <dir>', 'output folder')
    .addOption(new Option('--seed <n>', 'random seed (same seed, same bytes)').argParser(wholeNumber('--seed')).default(1))
    .addOption(new Option('--devices <n>', 'devices in the fleet').argParser(wholeNumber('--devices', 1)).default(6))
    .addOption(new Option('--hours <n>', 'hours of telemetry').argParser(wholeNumber('--hours', 1)).default(24))
    .option('--start <iso>', 'first hour (UTC)', '2024-05-06T00:00:00Z')
    .addOption(new Option('--attacks <n>', 'planted attacks, cycling through the attack kinds (default: one of each)').argParser(wholeNumber('--attacks')))
    .addOption(new Option('--near-misses <n>', 'planted near misses, cycling through their kinds (default: one of each)').argParser(wholeNumber('--near-misses')))
    .addOption(new Option('--rate <n>', 'benign events per device and hour').argParser(wholeNumber('--rate', 1)).default(40))
    .addOption(new Option('--format <name>', 'output format').choices(SIMULATE_FORMAT_NAMES).default('ndjson'))
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (options) => {
      const { simulateCommand } = await import('./simulate-command');
      exitCode = simulateCommand(options, io);
    });

  const detectionOptions = (command: Command): Command => command
    .addOption(dbOption())
    .option('--from <iso>', 'events with Timestamp >= this time')
    .option('--to <iso>', 'events with Timestamp < this time')
    .addOption(new Option('--format <name>', 'output format').choices(['table', 'json', 'ndjson']).default('table'))
    .option('--allow-list <file>', 'JSON allow-list of COM servers and children (see README)')
    .option('--window-min <duration>', 'earliest COM server start after the connection', '0s')
    .option('--window-max <duration>', 'latest COM server start after the connection', '2s')
    .option('--boot-grace <duration>', 'ignore COM servers started this soon after a boot', '5m')
    .option('--sysmon-skew <duration>', 'how much too early Sysmon 3 may log a connection (widens the window)', '15s')
    .option('--sysmon-skew-late <duration>', 'how much too late Sysmon 3 may log a connection', '1s');

  detectionOptions(program.command('detect')
    .description('find DCOM lateral movement (T1021.003): Lineage\'s detection, or the Sentinel rule replayed exactly'))
    .addOption(new Option('--mode <mode>', 'lineage (improved) or sentinel (the rule as written)').choices(['lineage', 'sentinel']).default('lineage'))
    .option('--schedule [period]', 'sentinel mode: replay the scheduled runs, back-to-back windows (default 1h)')
    .option('--compare', 'the chains on which the two modes differ, each with the reason')
    .action(async (options) => {
      const { detectCommand } = await import('./detect-command');
      exitCode = detectCommand(options, io);
    });

  detectionOptions(program.command('explain')
    .description('near misses: chains that came close to DCOM lateral movement, each with the one condition that stopped it'))
    .option('--device <device>', 'only this device (its DeviceId, or a DeviceName only it has): reads that device\'s events only')
    .action(async (options) => {
      const { explainCommand } = await import('./detect-command');
      exitCode = explainCommand(options, io);
    });

  program.command('serve')
    .description('serve the HTTP API (and the web UI) over the store')
    .addOption(dbOption())
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .addOption(new Option('--port <n>', 'port').argParser(wholeNumber('--port', 1)).default(Number(io.env.PORT ?? 7300)))
    .option('--token <token>', 'require Authorization: Bearer <token> on the API (required off loopback)')
    .addOption(new Option('--ingest-limit-mb <n>', 'largest POST /ingest body').argParser(wholeNumber('--ingest-limit-mb', 1)).default(64))
    .option('--allow-host <name...>', 'more Host header names to answer to (behind a proxy)')
    .action(async (options) => {
      const { serveCommand } = await import('./serve-command');
      exitCode = await serveCommand(options, io);
    });

  program.command('stats')
    .description('what the store holds: devices, events per table, time range, rejects, last runs')
    .addOption(dbOption())
    .option('--json', 'print as one JSON object')
    .action(async (options) => {
      const { statsCommand } = await import('./stats-command');
      exitCode = statsCommand(options, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
        || error.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof LineageError) {
      io.stderr(`lineage: ${terminalSafe(error.message)}\n`);
      return error.code === 'invalid_input' ? EXIT.usage : EXIT.failure;
    }
    io.stderr(`lineage: unexpected error: ${terminalSafe(error instanceof Error ? error.stack ?? error.message : String(error), true)}\n`);
    return EXIT.failure;
  }
}
